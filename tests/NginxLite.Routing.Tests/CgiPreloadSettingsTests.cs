using NginxLite.Routing.Settings;

namespace NginxLite.Routing.Tests;

/// <summary><c>cgi_preload python|off</c> compiled into <see cref="CgiSettings.PreloadPython"/>: off by default,
/// inherited http → server → location, a level's own value wins, and a child's never leaks to its parent.</summary>
public class CgiPreloadSettingsTests
{
    private static LocationSettings[] Locations(string http) =>
        [.. RouteFixture.Compile(http).Listeners[0].Servers.Default.Locations.Locations.Select(l => l.Settings)];

    [Fact]
    public void CgiPreload_Unset_Off()
    {
        var a = Locations("server { listen 127.0.0.1:8080; location /a { cgi on; } }")[0];

        Assert.False(a.Cgi.PreloadPython);
    }

    [Fact]
    public void CgiPreload_SetInHttp_InheritedUnlessALocationTurnsItOff()
    {
        var l = Locations("""
            cgi_preload python;
            server {
                listen 127.0.0.1:8080;
                location /a { cgi on; }
                location /b { cgi on; cgi_preload off; }
            }
            """);

        Assert.True(l[0].Cgi.PreloadPython);
        Assert.False(l[1].Cgi.PreloadPython);
    }

    [Fact]
    public void CgiPreload_SetInOneLocation_SiblingKeepsTheDefault()
    {
        var l = Locations("""
            server {
                listen 127.0.0.1:8080;
                cgi_timeout 7s;
                location /a { cgi on; cgi_preload python; }
                location /b { cgi on; }
            }
            """);

        Assert.True(l[0].Cgi.PreloadPython);
        Assert.Equal(TimeSpan.FromSeconds(7), l[0].Cgi.Timeout); // the other cgi settings still inherited
        Assert.False(l[1].Cgi.PreloadPython);
    }
}
