using System.Text;
using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams.Cookies;

/// <summary>
/// proxy_cookie_domain, proxy_cookie_path and proxy_cookie_flags in nginx 1.22.1 and in nginxlite: the same Set-Cookie
/// lines come out of both for the same upstream lines (each test also pins the expected value, so a bug shared by the
/// comparison itself would still fail).
/// </summary>
public sealed class CookieRewriteDifferentialTests(CookiePair fixture) : IClassFixture<CookiePair>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Asks both servers for <paramref name="location"/> with the upstream sending <paramref name="cookies"/>;
    /// asserts the same status and Set-Cookie lines and returns nginxlite's.</summary>
    private string[] Both(string location, string[] cookies, string extraArgs = "", string host = "localhost")
    {
        var query = string.Join("&", cookies.Select(c => "c=" + Uri.EscapeDataString(c))) + extraArgs;
        var request = Encoding.ASCII.GetBytes($"GET {location}?{query} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        var nginx = RawHttpClient.Send(fixture.Pair.Nginx!.Port, request, false, Timeout);
        var lite = RawHttpClient.Send(fixture.Pair.NginxLite.Port, request, false, Timeout);
        var why = $"{location}?{query}:\n--- nginx\n{nginx.Dump(600)}\n--- nginxlite\n{lite.Dump(600)}";
        Assert.True(nginx.Status == 200 && lite.Status == 200, "status: " + why);
        Assert.True(string.Join("\n", nginx.HeaderValues("Set-Cookie")) == string.Join("\n", lite.HeaderValues("Set-Cookie")), "Set-Cookie differs: " + why);
        return [.. lite.HeaderValues("Set-Cookie")];
    }

    [Fact]
    public void CookieDomain_PlainMatch_Replaced()
    {
        Assert.Equal(["a=1; Domain=example.org; Path=/"], Both("/domain/", ["a=1; Domain=localhost; Path=/"]));
    }

    [Fact]
    public void CookieDomain_LeadingDotsAndCase_DotKeptNameReplaced()
    {
        Assert.Equal(["a=1; domain=.new.example"], Both("/domain/", ["a=1; domain=.OLD.example"]));
    }

    [Fact]
    public void CookieDomain_Variables_Evaluated()
    {
        Assert.Equal(["a=1; Domain=shop.test"], Both("/domain/", ["a=1; Domain=www.shop.test"], host: "shop.test"));
    }

    [Fact]
    public void CookieDomain_RegexWithNamedCapture_WholeValueReplacedCaseKept()
    {
        Assert.Equal(["a=1; Domain=site.com", "b=2; Domain=OTHER.org"], Both("/domain/", ["a=1; Domain=a.b.site.com", "b=2;Domain = x.OTHER.org"]));
    }

    [Fact]
    public void CookieDomain_NoRuleMatches_HeaderUnchanged()
    {
        Assert.Equal(["a=1;Domain=nomatch ;  Path=/"], Both("/domain/", ["a=1;Domain=nomatch ;  Path=/"]));
    }

    [Fact]
    public void CookiePath_Prefix_ReplacedAndRestKept()
    {
        Assert.Equal(["s=1; Path=/some/uri/"], Both("/path/", ["s=1; Path=/two/some/uri/"]));
    }

    [Fact]
    public void CookiePath_PrefixIsCaseSensitive_Unchanged()
    {
        Assert.Equal(["s=1; Path=/TWO/x"], Both("/path/", ["s=1; Path=/TWO/x"]));
    }

    [Fact]
    public void CookiePath_CaselessRegexWithCapture_Replaced()
    {
        Assert.Equal(["s=1; path=/up/Deep/er"], Both("/path/", ["s=1; path=/Up/Deep/er"]));
    }

    [Fact]
    public void CookiePath_VariablePattern_Replaced()
    {
        Assert.Equal(["s=1; Path=/new/x"], Both("/path/", ["s=1; Path=/old/x"], "&from=/old/&to=/new/"));
    }

    [Fact]
    public void CookiePath_ServerLevelRule_InheritedByLocationWithoutOwn()
    {
        Assert.Equal(["s=1; Path=/server/x"], Both("/inherit/", ["s=1; Path=/srv/x"]));
    }

    [Fact]
    public void CookiePath_LocationSaysOff_ServerRuleCleared()
    {
        Assert.Equal(["s=1; Path=/srv/x"], Both("/off/", ["s=1; Path=/srv/x"]));
    }

    [Fact]
    public void CookiePath_LocationHasOwnRules_ServerRuleNotApplied()
    {
        Assert.Equal(["s=1; Path=/srv/x"], Both("/path/", ["s=1; Path=/srv/x"]));
    }

    [Fact]
    public void CookieFlags_SecureHttpOnly_AppendedOnceKeptWhenPresent()
    {
        Assert.Equal(["one=1; Path=/; Secure; HttpOnly", "one=2; secure; HttpOnly"], Both("/flags/", ["one=1; Path=/", "one=2; secure"]));
    }

    [Fact]
    public void CookieFlags_RegexName_SameSiteStrictNormalizedAndSecureRemoved()
    {
        Assert.Equal(["two=1; SameSite=Strict", "Three=1; SameSite=Strict"], Both("/flags/", ["two=1; Secure; samesite=lax", "Three=1; SameSite=Strict"]));
    }

    [Fact]
    public void CookieFlags_FirstMatchingRuleWins_LaterRuleIgnored()
    {
        // "three" matches ~^t first (case-insensitively), never the "three" line.
        Assert.Equal(["three=1; HttpOnly; SameSite=Strict"], Both("/flags/", ["three=1; HttpOnly"]));
    }

    [Fact]
    public void CookieFlags_NoSameSiteAndSameSiteNone_NoneWins()
    {
        Assert.Equal(["four=1; SameSite=None", "four=2; SameSite=None"], Both("/flags/", ["four=1; SameSite=Lax", "four=2"]));
    }

    [Fact]
    public void CookieFlags_VariableNameAndFlag_Applied()
    {
        Assert.Equal(["five=1; HttpOnly"], Both("/flags/", ["five=1"], "&name=FIVE&flag=httponly"));
    }

    [Fact]
    public void CookieFlags_UnknownFlagOnly_HeaderUnchanged()
    {
        Assert.Equal(["five=1;secure"], Both("/flags/", ["five=1;secure"], "&name=five&flag=bogus"));
    }

    [Fact]
    public void CookieFlags_NotACookie_Unchanged()
    {
        Assert.Equal(["one; Path=/"], Both("/flags/", ["one; Path=/"]));
    }

    [Fact]
    public void CookieRewrite_AllThreeKinds_OneRebuiltLine()
    {
        Assert.Equal(["id=7; Domain=example.org; Path=/app/x; Secure; SameSite=Lax"], Both("/all/", ["id=7;Domain=localhost;Path=/x"]));
    }
}
