using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Config.Tests.TestSupport;

namespace NginxLite.Config.Tests.Directives;

public class ValueCheckTests
{
    [Theory]
    [InlineData("512", 512)]
    [InlineData("1k", 1024)]
    [InlineData("8K", 8192)]
    [InlineData("10m", 10485760)]
    [InlineData("1g", 1073741824)]
    public void Size_Valid_Parses(string text, long bytes)
    {
        Assert.True(NginxValue.TryParseSize(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1h 30m", 5_400_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("75", 75_000)]
    public void Time_Valid_Parses(string text, double ms)
    {
        Assert.True(NginxValue.TryParseTime(text, out var value));
        Assert.Equal(ms, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("http { sendfile yes; }", "invalid value \"yes\" in \"sendfile\" directive, it must be \"on\" or \"off\"")]
    [InlineData("http { client_max_body_size 10x; }", "\"client_max_body_size\" directive invalid value")]
    [InlineData("http { client_body_buffer_size 1m; client_max_body_size 1q; }", "\"client_max_body_size\" directive invalid value")]
    [InlineData("http { keepalive_timeout 10x; }", "\"keepalive_timeout\" directive invalid value")]
    [InlineData("http { proxy_connect_timeout 0.5s; }", "\"proxy_connect_timeout\" directive invalid value")]
    [InlineData("http { gzip_comp_level x; }", "\"gzip_comp_level\" directive invalid number")]
    [InlineData("worker_rlimit_nofile x;", "\"worker_rlimit_nofile\" directive invalid number")]
    [InlineData("http { proxy_buffers x 8k; }", "\"proxy_buffers\" directive invalid value")]
    [InlineData("http { server_tokens x; }", "invalid value \"x\"")]
    [InlineData("http { satisfy x; }", "invalid value \"x\"")]
    [InlineData("http { keepalive_disable foo; }", "invalid value \"foo\"")]
    [InlineData("events { worker_connections x; }", "invalid number \"x\"")]
    [InlineData("events { use kqueue; }", "invalid event type \"kqueue\"")]
    [InlineData("error_log /tmp/x file>>;", "invalid log level \"file>>\"")]
    [InlineData("http { server { location x /a {} } }", "invalid location modifier \"x\"")]
    [InlineData("http { server { location ~ ^/(x {} } }", "pcre2_compile() failed: missing closing parenthesis in \"^/(x\"")]
    [InlineData("http { server { rewrite ^/(x /y; } }", "pcre2_compile() failed: missing closing parenthesis in \"^/(x\"")]
    [InlineData("http { server { if ($uri ~ \"(x\") { return 200; } } }", "pcre2_compile() failed: missing closing parenthesis in \"(x\"")]
    [InlineData("http { server { server_name ~^(x; } }", "pcre2_compile() failed: missing closing parenthesis in \"^(x\"")]
    [InlineData("http { server { location ~ \"^/(?<m>x)[\" {} } }", "pcre2_compile() failed: missing terminating ] for character class in \"^/(?<m>x)[\"")]
    [InlineData("http { server { location ~ \"^/x)\" {} } }", "pcre2_compile() failed: unmatched closing parenthesis in \"^/x)\" at \")\"")]
    [InlineData("http { server { location ~ \"^/x{2,1}\" {} } }", "pcre2_compile() failed: numbers out of order in {} quantifier in \"^/x{2,1}\" at \"}\"")]
    [InlineData("http { server { location ~ \"^/[z-a]\" {} } }", "pcre2_compile() failed: range out of order in character class in \"^/[z-a]\" at \"a]\"")]
    [InlineData("http { server { location ~ \"*x\" {} } }", "pcre2_compile() failed: quantifier does not follow a repeatable item in \"*x\" at \"*x\"")]
    [InlineData("http { server { location ~ \"(?<n>x)(?<n>y)\" {} } }", "pcre2_compile() failed: two named subpatterns have the same name (PCRE2_DUPNAMES not set) in \"(?<n>x)(?<n>y)\" at \"y)\"")]
    [InlineData("http { server { location ~ \"(?z)\" {} } }", "pcre2_compile() failed: unrecognized character after (? or (?- in \"(?z)\" at \"z)\"")]
    public void Check_BadValue_SaysWhatNginxSays(string text, string message)
    {
        Assert.Equal($"[emerg] {message} in /t/nginx.conf:1", Bind.FirstError(text));
    }

    [Theory]
    [InlineData("http { server { location ~ \"^/(?P<year>\\d{4})/(?P=year)$\" {} } }")]
    [InlineData("http { server { location ~* \\.(?:jpg|png)$ {} location ^~ /s/ {} location = / {} location @x {} location ~^/a {} } }")]
    [InlineData("http { server { rewrite ^/(?<p>.+)$ /x/$p last; server_name ~^(?<sub>.+)\\.example\\.com$ a.b; } }")]
    [InlineData("http { server { if ($http_user_agent ~* (bot|spider)) { return 403; } } }")]
    [InlineData("http { keepalive_timeout 75s 60s; client_max_body_size 0; proxy_read_timeout 1h; limit_rate_after $x; }")]
    public void Check_ValidValues_PassQuietly(string text)
    {
        Assert.Null(Bind.FirstError(text));
    }

    [Theory]
    [InlineData("(?P<n>a)(?P=n)", "(?<n>a)\\k<n>")]
    [InlineData("a++b", "(?>a+)b")]
    [InlineData("(ab)*+", "(?>(ab)*)")]
    [InlineData("\\Qa.b\\E", "a\\.b")]
    [InlineData("[[:alpha:]_]", "[a-zA-Z_]")]
    public void PcreRegex_Translate_RewritesPcreSyntax(string pcre, string dotnet)
    {
        Assert.Equal(dotnet, PcreRegex.Translate(pcre));
    }

    [Fact]
    public void PcreRegex_NamedCapture_MatchesLikePcre()
    {
        Assert.True(PcreRegex.TryCreate("^/(?P<user>[a-z]+)/", ignoreCase: true, out var regex, out _));
        Assert.Equal("bob", regex!.Match("/BOB/x").Groups["user"].Value.ToLowerInvariant());
    }
}
