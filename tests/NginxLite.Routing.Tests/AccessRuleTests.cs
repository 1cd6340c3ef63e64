using System.Net;

namespace NginxLite.Routing.Tests;

/// <summary>allow/deny compiled into rules (array replaced per level), limit_except into alternate settings.</summary>
public class AccessRuleTests
{
    private static Settings.LocationSettings Location(string body) =>
        RouteFixture.Compile("allow 10.0.0.0/8; deny all; server { listen 127.0.0.1:8080; location /x { " + body + " } }")
            .Listeners[0].Servers.Default.Locations.Locations[0].Settings;

    private static bool? Decide(Settings.LocationSettings s, string? ip)
    {
        var address = ip is null ? null : IPAddress.Parse(ip);
        foreach (var rule in s.Access)
        {
            if (rule.Matches(address))
            {
                return rule.Allow;
            }
        }

        return null;
    }

    [Fact]
    public void Access_InheritedFromHttp_WhenLocationHasNone()
    {
        var s = Location("");
        Assert.Equal((true, false), (Decide(s, "10.1.2.3"), Decide(s, "127.0.0.1")));
    }

    [Fact]
    public void Access_LocationRules_ReplaceInheritedOnes_FirstMatchWins()
    {
        var s = Location("deny 127.0.0.1; allow 127.0.0.0/8; allow 2001:db8::/32; allow unix:;");
        Assert.Equal(false, Decide(s, "127.0.0.1"));
        Assert.Equal(true, Decide(s, "127.0.0.2"));
        Assert.Equal(true, Decide(s, "::ffff:127.0.0.2"));
        Assert.Equal(true, Decide(s, "2001:db8::1"));
        Assert.Null(Decide(s, "10.0.0.1"));
        Assert.Equal(true, Decide(s, null));
    }

    [Fact]
    public void LimitExcept_GetImpliesHead_OthersUseBlockSettings()
    {
        var s = Location("limit_except GET { deny all; }");
        var limit = s.LimitExcept!;
        Assert.True(limit.Allows("GET") && limit.Allows("HEAD"));
        Assert.False(limit.Allows("POST") || limit.Allows("FOO"));
        Assert.Equal(false, Decide(limit.Settings, "10.0.0.1"));
        Assert.Equal(true, Decide(s, "10.0.0.1"));
    }
}
