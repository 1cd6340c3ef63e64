using System.Text.RegularExpressions;

namespace NginxLite.Server.Tests;

/// <summary>What is served once a request is accepted, as nginx does it: try_files, error_page from a file,
/// conditional requests on any 200, byte ranges (ngx_http_range_filter_module).</summary>
public class ContentTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["html/index.html"] = "<h1>home</h1>",
        ["html/a.txt"] = "0123456789abcdefghij",
        ["html/empty.txt"] = "",
        ["html/docs/index.html"] = "docs index",
        ["html/errors/404.html"] = "custom 404",
        ["html/app/x"] = "x",
    };

    private const string Config = """
        types { text/html html; text/plain txt; }
        default_type application/octet-stream;
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            root html;
            add_header X-Site t;
            error_page 404 /errors/404.html;
            location / { try_files $uri $uri/ =404; }
            location /app/ { try_files $uri @fb; }
            location @fb { return 200 "fallback $uri"; }
            location = /hello { return 200 "hello"; }
            location /one/ { max_ranges 1; alias html/; }
            location ~ ^/user/(\w+)$ { return 200 "user $1"; }
        }
        """;

    [Fact]
    public async Task TryFiles_ExistingFile_IsServed()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/index.html");
        Assert.Equal(200, r.Status);
        Assert.Equal("<h1>home</h1>", r.Body);
        Assert.Equal("text/html", r.Header("Content-Type"));
    }

    [Fact]
    public async Task TryFiles_DirectoryTestedWithSlash_RedirectsLikeTheStaticModule()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/docs?x=1");
        Assert.Equal(301, r.Status);
        Assert.Equal($"http://localhost:{s.Port}/docs/?x=1", r.Header("Location"));
        Assert.Equal("docs index", (await s.SendAsync("/docs/")).Body);
    }

    [Fact]
    public async Task TryFiles_DirectoryDoesNotMatchAFileTest()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/app/");
        Assert.Equal(200, r.Status);
        Assert.Equal("fallback /app/", r.Body);
    }

    [Fact]
    public async Task ErrorPageFromFile_KeepsETagDropsLastModified()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/missing");
        Assert.Equal(404, r.Status);
        Assert.Equal("custom 404", r.Body);
        Assert.NotNull(r.Header("ETag"));
        Assert.Null(r.Header("Last-Modified"));
        Assert.Null(r.Header("Accept-Ranges"));
        Assert.Null(r.Header("X-Site"));
    }

    [Fact]
    public async Task Return200_IfNoneMatchStar_Is304()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/hello", headers: "If-None-Match: *");
        Assert.Equal(304, r.Status);
        Assert.Null(r.Header("Content-Type"));
        Assert.Null(r.Header("Content-Length"));
        Assert.Equal("", r.Body);
    }

    [Fact]
    public async Task Return200_IfUnmodifiedSince_Is412WithoutALastModified()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/hello", headers: "If-Unmodified-Since: Fri, 01 Jan 2100 00:00:00 GMT");
        Assert.Equal(412, r.Status);
    }

    [Fact]
    public async Task IfMatch_WeakTag_DoesNotMatch_ButIfNoneMatchWeakDoes()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var etag = (await s.SendAsync("/a.txt", "HEAD")).Header("ETag")!;
        Assert.Equal(412, (await s.SendAsync("/a.txt", headers: "If-Match: W/" + etag)).Status);
        Assert.Equal(304, (await s.SendAsync("/a.txt", headers: "If-None-Match: \"x\", W/" + etag)).Status);
        Assert.Equal(412, (await s.SendAsync("/a.txt", headers: "If-Unmodified-Since: not a date")).Status);
    }

    [Fact]
    public async Task Range_Single_Is206WithoutAcceptRanges()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a.txt", headers: "Range: bytes=-5");
        Assert.Equal(206, r.Status);
        Assert.Equal("bytes 15-19/20", r.Header("Content-Range"));
        Assert.Equal("fghij", r.Body);
        Assert.Null(r.Header("Accept-Ranges"));
        Assert.Equal("t", r.Header("X-Site"));
    }

    [Fact]
    public async Task Range_Multiple_IsMultipartByteranges()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a.txt", headers: "Range: bytes=0-1,-2");
        Assert.Equal(206, r.Status);
        var m = Regex.Match(r.Header("Content-Type")!, "^multipart/byteranges; boundary=(\\d{20})$");
        Assert.True(m.Success, r.Header("Content-Type"));
        var b = m.Groups[1].Value;
        var expected = $"\r\n--{b}\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/20\r\n\r\n01"
            + $"\r\n--{b}\r\nContent-Type: text/plain\r\nContent-Range: bytes 18-19/20\r\n\r\nij"
            + $"\r\n--{b}--\r\n";
        Assert.Equal(expected, r.Body);
        Assert.Equal(expected.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Header("Content-Length"));
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("bytes=15-10")]
    [InlineData("bytes=20-")]
    public async Task Range_Unsatisfiable_Is416PageWithoutValidators(string range)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a.txt", headers: "Range: " + range);
        Assert.Equal(416, r.Status);
        Assert.Equal("bytes */20", r.Header("Content-Range"));
        Assert.Contains("416 Requested Range Not Satisfiable", r.Body);
        Assert.Null(r.Header("ETag"));
        Assert.Null(r.Header("Last-Modified"));
        Assert.Null(r.Header("Accept-Ranges"));
        Assert.Equal("t", r.Header("X-Site")); // added by the headers filter before the range filter ran
    }

    [Theory]
    [InlineData("/a.txt", "bytes = 0-1")] // not "bytes="
    [InlineData("/a.txt", "bytes=0-1,0-19")] // more than the file
    [InlineData("/empty.txt", "bytes=-1")] // an empty range at 0
    [InlineData("/one/a.txt", "bytes=0-1,3-4")] // max_ranges 1
    public async Task Range_Declined_SendsTheWholeFileWithAcceptRanges(string path, string range)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync(path, headers: "Range: " + range);
        Assert.Equal(200, r.Status);
        Assert.Equal("bytes", r.Header("Accept-Ranges"));
        Assert.Null(r.Header("Content-Range"));
    }

    [Fact]
    public async Task Range_UnsatisfiablePartIsDropped()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a.txt", headers: "Range: bytes=0-1,100-");
        Assert.Equal(206, r.Status);
        Assert.Equal("bytes 0-1/20", r.Header("Content-Range"));
        Assert.Equal("01", r.Body);
    }

    [Fact]
    public async Task IfRange_DateOrEtag_MustMatchExactly()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var head = await s.SendAsync("/a.txt", "HEAD");
        Assert.Equal(206, (await s.SendAsync("/a.txt", headers: ["Range: bytes=0-1", "If-Range: " + head.Header("ETag")])).Status);
        Assert.Equal(206, (await s.SendAsync("/a.txt", headers: ["Range: bytes=0-1", "If-Range: " + head.Header("Last-Modified")])).Status);
        Assert.Equal(200, (await s.SendAsync("/a.txt", headers: ["Range: bytes=0-1", "If-Range: \"other\""])).Status);
        Assert.Equal(200, (await s.SendAsync("/a.txt", headers: ["Range: bytes=0-1", "If-Range: Mon, 01 Jan 2001 00:00:00 GMT"])).Status);
    }

    [Theory]
    [InlineData("/user/al_1", 200)]
    [InlineData("/user/%C3%BC", 404)] // PCRE's \w is ASCII in nginx (no UTF/UCP); .NET's would match "ü"
    public async Task RegexLocation_WordClassIsAscii(string path, int status)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal(status, (await s.SendAsync(path)).Status);
    }
}
