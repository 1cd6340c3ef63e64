namespace NginxLite.Server.Tests;

public class StaticFileTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["html/index.html"] = "<h1>home</h1>",
        ["html/a.txt"] = "0123456789",
        ["html/dir/index.html"] = "dir index",
        ["html/empty/.keep"] = "",
        ["html/50x.html"] = "custom error",
        ["data/pic.png"] = "png",
    };

    private const string Config = """
        types { text/html html; text/plain txt; image/png png; }
        default_type application/octet-stream;
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            root html;
            location / { index index.html; }
            location /images/ { alias data/; }
            location ~ ^/pics/(.+\.png)$ { alias data/$1; }
            location /try/ { try_files $uri /a.txt; }
            location /try404/ { try_files $uri =404; }
            location /named/ { try_files $uri @fb; }
            location @fb { return 200 "fallback $uri"; }
            location /hdr/ { add_header X-A 1; add_header X-B 2 always; return 404; }
            location /exp/ { expires 1h; alias html/; }
            error_page 500 /50x.html;
            location /boom { return 500; }
            location = /internal-only { internal; return 200 secret; }
            location /up/ { proxy_pass http://127.0.0.1:9; }
        }
        """;

    [Fact]
    public async Task Static_ExistingFile_Returns200WithNginxHeaders()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a.txt");
        Assert.Equal(200, r.Status);
        Assert.Equal("0123456789", r.Body);
        Assert.Equal("text/plain", r.Header("Content-Type"));
        Assert.Equal("10", r.Header("Content-Length"));
        Assert.Matches("^\"[0-9a-f]+-a\"$", r.Header("ETag"));
        Assert.NotNull(r.Header("Last-Modified"));
        Assert.Equal("nginxlite/0.1.0", r.Header("Server"));
    }

    [Fact]
    public async Task Static_Index_IsServedForSlash()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal("<h1>home</h1>", (await s.SendAsync("/")).Body);
        Assert.Equal("dir index", (await s.SendAsync("/dir/")).Body);
    }

    [Fact]
    public async Task Static_DirectoryWithoutSlash_Redirects301()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/dir?x=1");
        Assert.Equal(301, r.Status);
        Assert.Equal($"http://localhost:{s.Port}/dir/?x=1", r.Header("Location"));
        Assert.Contains("<title>301 Moved Permanently</title>", r.Body);
    }

    [Fact]
    public async Task Static_DirectoryWithoutIndex_Returns403()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal(403, (await s.SendAsync("/empty/")).Status);
        Assert.Contains("directory index of", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task Static_Missing_Returns404NginxPageAndLogs()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/nope.txt");
        Assert.Equal(404, r.Status);
        Assert.Equal("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginxlite/0.1.0</center>\r\n</body>\r\n</html>\r\n", r.Body);
        Assert.Contains("[error]", s.ReadLog("error.log"));
        Assert.Contains("open() \"" + s.Prefix + "html/nope.txt\" failed (2: No such file or directory)", s.ReadLog("error.log"));
        Assert.Contains("\"GET /nope.txt HTTP/1.1\" 404", s.ReadLog("access.log"));
    }

    [Theory]
    [InlineData("/../etc/passwd")]
    [InlineData("/%2e%2e/etc/passwd")]
    [InlineData("/a%2f..%2f..%2fetc/passwd")]
    [InlineData("/a%00.txt")]
    public async Task Static_PathEscapingRoot_Returns400(string target)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal(400, (await s.SendAsync(target)).Status);
    }

    [Fact]
    public async Task Static_DotSegmentsAndSlashes_AreNormalized()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal("0123456789", (await s.SendAsync("//dir/..//a.txt")).Body);
        Assert.Equal("0123456789", (await s.SendAsync("/%61.txt")).Body);
    }

    [Fact]
    public async Task Static_IfNoneMatchAndIfModifiedSince_Return304()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var first = await s.SendAsync("/a.txt");
        var etag = first.Header("ETag")!;
        Assert.Equal(304, (await s.SendAsync("/a.txt", headers: $"If-None-Match: {etag}")).Status);
        Assert.Equal(304, (await s.SendAsync("/a.txt", headers: $"If-Modified-Since: {first.Header("Last-Modified")}")).Status);
        Assert.Equal(200, (await s.SendAsync("/a.txt", headers: "If-None-Match: \"other\"")).Status);
        Assert.Equal(412, (await s.SendAsync("/a.txt", headers: "If-Match: \"other\"")).Status);
    }

    [Fact]
    public async Task Static_Range_Returns206Or416()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a.txt", headers: "Range: bytes=2-4");
        Assert.Equal(206, r.Status);
        Assert.Equal("234", r.Body);
        Assert.Equal("bytes 2-4/10", r.Header("Content-Range"));
        Assert.Equal("789", (await s.SendAsync("/a.txt", headers: "Range: bytes=-3")).Body);
        var bad = await s.SendAsync("/a.txt", headers: "Range: bytes=20-");
        Assert.Equal(416, bad.Status);
        Assert.Equal("bytes */10", bad.Header("Content-Range"));
    }

    [Fact]
    public async Task Static_Head_HasHeadersWithoutBody()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a.txt", "HEAD");
        Assert.Equal(200, r.Status);
        Assert.Equal("10", r.Header("Content-Length"));
        Assert.Equal("", r.Body);
    }

    [Fact]
    public async Task Static_PutOrPostToFile_Returns405()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a.txt", "PUT");
        Assert.Equal(405, r.Status);
        Assert.Equal("Not Allowed", r.Reason);
    }

    [Fact]
    public async Task Alias_PrefixAndRegexWithCaptures_MapFiles()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var prefix = await s.SendAsync("/images/pic.png");
        Assert.Equal(("png", "image/png"), (prefix.Body, prefix.Header("Content-Type")));
        Assert.Equal("png", (await s.SendAsync("/pics/pic.png")).Body);
    }

    [Fact]
    public async Task TryFiles_FallbacksToUriCodeAndNamed()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal("0123456789", (await s.SendAsync("/try/missing")).Body);
        Assert.Equal(404, (await s.SendAsync("/try404/missing")).Status);
        Assert.Equal("fallback /named/x", (await s.SendAsync("/named/x")).Body);
    }

    [Fact]
    public async Task AddHeader_OnlyAlwaysOnErrors()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/hdr/");
        Assert.Equal(404, r.Status);
        Assert.Null(r.Header("X-A"));
        Assert.Equal("2", r.Header("X-B"));
    }

    [Fact]
    public async Task Expires_SetsCacheControl()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/exp/a.txt");
        Assert.Equal("max-age=3600", r.Header("Cache-Control"));
        Assert.NotNull(r.Header("Expires"));
    }

    [Fact]
    public async Task ErrorPage_UriKeepsStatusAndServesPage()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/boom");
        Assert.Equal(500, r.Status);
        Assert.Equal("custom error", r.Body);
    }

    [Fact]
    public async Task Internal_LocationFromClient_Returns404()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal(404, (await s.SendAsync("/internal-only")).Status);
    }

    [Fact]
    public async Task Upstream_Refused_Returns502AndLogs()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal(502, (await s.SendAsync("/up/x")).Status);
        Assert.Contains("connect() failed (111: Connection refused) while connecting to upstream", s.ReadLog("error.log"));
        var redirect = await s.SendAsync("/up");
        Assert.Equal(301, redirect.Status);
    }
}
