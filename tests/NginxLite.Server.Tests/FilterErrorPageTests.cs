namespace NginxLite.Server.Tests;

/// <summary>error_page for the statuses the not-modified (412) and range (416) filters decide, as nginx 1.22.1 answers
/// them (ngx_http_filter_finalize_request runs the error page; a 416 keeps the original's Content-Range, ETag and
/// add_header headers, a 412 none).</summary>
public class FilterErrorPageTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["html/index.html"] = "hi\n",
        ["html/e412.html"] = "err412file\n",
        ["html/e416.html"] = "err416file\n",
    };

    private const string Config = """
        types { text/html html; }
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            root html;
            location /a/ { alias html/; error_page 412 /e412.html; error_page 416 /e416.html; add_header X-A a; }
            location /b/ { alias html/; error_page 412 =200 /e412.html; error_page 416 =299 /e416.html; }
            location /c/ { alias html/; error_page 412 416 @named; }
            location /d/ { alias html/; error_page 412 416 http://example.com/x; }
            location /r/ { error_page 412 /e412.html; return 200 "ret\n"; }
            location /none/ { alias html/; }
            location @named { return 200 "named $status\n"; }
        }
        """;

    private const string NoMatch = "If-Match: \"nope\"";
    private const string BadRange = "Range: bytes=100-200";

    [Fact]
    public async Task PreconditionFailed_ErrorPageFile_ServedWith412AndItsOwnETag()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a/index.html", "GET", "localhost", NoMatch);
        Assert.Equal(412, r.Status);
        Assert.Equal("err412file\n", r.Body);
        Assert.Null(r.Header("X-A"));
        Assert.Null(r.Header("Last-Modified"));
        Assert.NotNull(r.Header("ETag"));
    }

    [Fact]
    public async Task RangeNotSatisfiable_ErrorPageFile_KeepsContentRangeAndAddHeader()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/a/index.html", "GET", "localhost", BadRange);
        Assert.Equal(416, r.Status);
        Assert.Equal("err416file\n", r.Body);
        Assert.Equal("bytes */3", r.Header("Content-Range"));
        Assert.Equal("a", r.Header("X-A"));
        Assert.Equal("text/html", r.Header("Content-Type"));
    }

    [Fact]
    public async Task PreconditionFailed_OverwrittenTo200_FailsAgainIntoTheBuiltInPage()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/b/index.html", "GET", "localhost", NoMatch);
        Assert.Equal(412, r.Status);
        Assert.Contains("<title>412 Precondition Failed</title>", r.Body, StringComparison.Ordinal);
        Assert.Null(r.Header("ETag"));
    }

    [Fact]
    public async Task RangeNotSatisfiable_OverwrittenStatus_ServesThePage()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/b/index.html", "GET", "localhost", BadRange);
        Assert.Equal(299, r.Status);
        Assert.Equal("err416file\n", r.Body);
    }

    [Theory]
    [InlineData(NoMatch, 412, null)]
    [InlineData(BadRange, 416, "bytes */3")]
    public async Task FilterStatus_NamedLocation_SeesTheStatus(string header, int status, string? contentRange)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/c/index.html", "GET", "localhost", header);
        Assert.Equal(status, r.Status);
        Assert.Equal($"named {status}\n", r.Body);
        Assert.Equal(contentRange, r.Header("Content-Range"));
    }

    [Theory]
    [InlineData(NoMatch, null)]
    [InlineData(BadRange, "bytes */3")]
    public async Task FilterStatus_ErrorPageUrl_RedirectsWithoutValidators(string header, string? contentRange)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/d/index.html", "GET", "localhost", header);
        Assert.Equal(302, r.Status);
        Assert.Equal("http://example.com/x", r.Header("Location"));
        Assert.Null(r.Header("ETag"));
        Assert.Equal(contentRange, r.Header("Content-Range"));
    }

    [Fact]
    public async Task PreconditionFailed_OnReturnText_UsesTheErrorPage()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/r/x", "GET", "localhost", NoMatch);
        Assert.Equal(412, r.Status);
        Assert.Equal("err412file\n", r.Body);
    }

    [Theory]
    [InlineData(NoMatch, 412)]
    [InlineData(BadRange, 416)]
    public async Task FilterStatus_NoErrorPage_BuiltInPage(string header, int status)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        var r = await s.SendAsync("/none/index.html", "GET", "localhost", header);
        Assert.Equal(status, r.Status);
        Assert.Contains($"<title>{status} ", r.Body, StringComparison.Ordinal);
        Assert.Null(r.Header("ETag"));
    }
}
