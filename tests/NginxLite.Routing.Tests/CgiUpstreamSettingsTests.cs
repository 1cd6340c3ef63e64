using NginxLite.Routing.Settings;

namespace NginxLite.Routing.Tests;

/// <summary>fastcgi_* and uwsgi_* compiled into settings: nginx's array rule for params and hide/pass_header, copy on
/// write between levels, timeouts, and the split of $fastcgi_script_name/$fastcgi_path_info.</summary>
public class CgiUpstreamSettingsTests
{
    private static LocationSettings[] Locations(string http) =>
        [.. RouteFixture.Compile(http).Listeners[0].Servers.Default.Locations.Locations.Select(l => l.Settings)];

    private const string Config = """
        fastcgi_param HTTP_LEVEL 1;
        fastcgi_read_timeout 5s;
        uwsgi_param U 1;
        server {
            listen 127.0.0.1:8080;
            fastcgi_hide_header X-A;
            location /a { fastcgi_pass unix:/run/a.sock; }
            location /b { fastcgi_pass 127.0.0.1:9000; fastcgi_param B $uri; fastcgi_param C $http_x if_not_empty; fastcgi_hide_header X-B; }
            location /c { uwsgi_pass unix:/run/u.sock; uwsgi_modifier1 5; uwsgi_param V v; uwsgi_read_timeout 2m; }
        }
        """;

    [Fact]
    public void Params_LevelWithoutAny_InheritsTheParentsList()
    {
        var a = Locations(Config)[0];
        Assert.Equal(["HTTP_LEVEL"], a.FastCgi.Params.Select(p => p.Name));
        Assert.Equal(TimeSpan.FromSeconds(5), a.FastCgi.ReadTimeout);
        Assert.Equal(["X-A"], a.FastCgi.Hidden.Hide);
        Assert.Equal("fastcgi_pass", a.Upstream!.Directive);
    }

    [Fact]
    public void Params_LevelWithAny_ReplacesTheList_AndKeepsIfNotEmpty()
    {
        var b = Locations(Config)[1];
        Assert.Equal([("B", false), ("C", true)], b.FastCgi.Params.Select(p => (p.Name, p.IfNotEmpty)));
        Assert.Equal(["X-B"], b.FastCgi.Hidden.Hide);
        Assert.Equal(TimeSpan.FromSeconds(5), b.FastCgi.ReadTimeout); // other settings still inherited
    }

    [Fact]
    public void Uwsgi_SettingsApart_FromFastCgi()
    {
        var c = Locations(Config)[2];
        Assert.Equal(["V"], c.Uwsgi.Params.Select(p => p.Name));
        Assert.Equal(5, c.Uwsgi.Modifier1);
        Assert.Equal(TimeSpan.FromMinutes(2), c.Uwsgi.ReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), c.Uwsgi.SendTimeout);
        Assert.Equal(["HTTP_LEVEL"], c.FastCgi.Params.Select(p => p.Name)); // fastcgi_* untouched here
        Assert.Equal(["U"], Locations(Config)[0].Uwsgi.Params.Select(p => p.Name));
    }

    [Theory]
    [InlineData("/index.php/a/b", "/index.php", "/a/b")]
    [InlineData("/x/", "/x/index.php", "")]
    [InlineData("/plain", "/plain", "")]
    public void ScriptNameAndPathInfo_AsNginxSplitsThem(string uri, string script, string pathInfo)
    {
        var s = Locations("""
            server { listen 127.0.0.1:8080;
                location / { fastcgi_split_path_info ^(.+\.php)(/.+)$; fastcgi_index index.php; fastcgi_pass unix:/x; } }
            """)[0];
        var state = new TestState { Uri = uri };
        Assert.Equal(script, FastCgiPathSplit.ScriptName(state, s.FastCgi));
        Assert.Equal(pathInfo, FastCgiPathSplit.PathInfo(state, s.FastCgi));
    }
}
