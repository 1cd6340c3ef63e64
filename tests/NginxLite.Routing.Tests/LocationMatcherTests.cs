namespace NginxLite.Routing.Tests;

public class LocationMatcherTests
{
    private static readonly Servers.VirtualServer Server = RouteFixture.Server("""
        location = / { return 200 exact-root; }
        location / { }
        location /images/ { }
        location ^~ /static/ { }
        location ~* \.(gif|jpg)$ { }
        location ~ \.jpg$ { }
        location /docs {
            location /docs/api/ { }
            location ~ \.pdf$ { }
        }
        location = /static/x.jpg { }
        location @fallback { }
        """);

    [Theory]
    [InlineData("/", "= /")]
    [InlineData("/index.html", "/")]
    [InlineData("/images/a.png", "/images/")]
    [InlineData("/images/a.gif", "~ \\.(gif|jpg)$")]
    [InlineData("/images/A.JPG", "~ \\.(gif|jpg)$")]
    [InlineData("/static/a.gif", "^~ /static/")]
    [InlineData("/static/x.jpg", "= /static/x.jpg")]
    [InlineData("/docs/api/a", "/docs/api/")]
    [InlineData("/docs/api/a.pdf", "~ \\.pdf$")]
    [InlineData("/docs/a.jpg", "~ \\.(gif|jpg)$")]
    [InlineData("/docsx", "/docs")]
    public void Find_NginxOrderingRules_PicksNginxLocation(string uri, string expected) =>
        Assert.Equal(expected, RouteFixture.Match(Server, uri));

    [Fact]
    public void Find_FirstRegexInFileOrder_Wins() =>
        Assert.Equal("~ \\.(gif|jpg)$", RouteFixture.Match(Server, "/a.jpg"));

    [Fact]
    public void Find_NoPrefixAndNoRegex_ReturnsNone()
    {
        var server = RouteFixture.Server("location /a { }");
        Assert.Equal("none", RouteFixture.Match(server, "/b"));
    }

    [Fact]
    public void Find_NamedLocation_IsNeverMatchedByUri()
    {
        Assert.Equal("none", RouteFixture.Match(Server, "@fallback"));
        Assert.True(Server.NamedLocations.ContainsKey("@fallback"));
    }

    [Fact]
    public void Find_RegexCaptures_AreStored()
    {
        var server = RouteFixture.Server("location ~ ^/u/(?<user>\\w+)/(\\d+)$ { }");
        var state = new TestState();
        RouteFixture.Match(server, "/u/bob/42", state);
        Assert.Equal("42", state.Captures!.Groups[2].Value);
        Assert.Contains("bob", state.UserVariables);
        Assert.Equal("bob", state.Captures.Groups[1].Value);
    }

    [Fact]
    public void Find_UpstreamPrefixWithoutSlash_AsksForAutoRedirect()
    {
        var server = RouteFixture.Server("location /api/ { proxy_pass http://127.0.0.1:9; }\nlocation / { }");
        Assert.Equal("redirect /api/", RouteFixture.Match(server, "/api"));
        Assert.Equal("/api/", RouteFixture.Match(server, "/api/x"));
    }

    [Fact]
    public void Find_ThousandsOfPrefixes_PicksLongest()
    {
        var body = string.Join("\n", Enumerable.Range(0, 2000).Select(i => $"location /p{i}/ {{ }}"));
        var server = RouteFixture.Server(body);
        Assert.Equal("/p1999/", RouteFixture.Match(server, "/p1999/x"));
        Assert.Equal("/p19/", RouteFixture.Match(server, "/p19/x"));
    }
}
