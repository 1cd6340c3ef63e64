using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// The Python worker shim behind a real nginx <c>uwsgi_pass</c> + <c>include /etc/nginx/uwsgi_params</c>, running
/// Apps/wsgi_test_app.py. The app is wrapped in <c>wsgiref.validate.validator</c>: a PEP 3333 violation by the shim
/// makes the request fail, so each 200 asserted here also checks the shim against PEP 3333.
/// </summary>
public sealed class WsgiShimNginxTests(WsgiShimSite site) : IClassFixture<WsgiShimSite>
{
    private int Port => site.Port;

    private ShimProcess Shim => site.Shim!;

    private static Dictionary<string, string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    [Fact]
    public void WsgiShim_GetWithQuery_EnvironHasUwsgiParamsAndWsgiKeys()
    {
        var r = AppHttp.Send(Port, "GET", "/env?x=1&y=%20z", extraHeaders: "X-Custom: custom value\r\n");
        Assert.Equal(200, r.Status);
        var env = Lines(AppHttp.Text(r));
        Assert.Equal("GET", env["REQUEST_METHOD"]);
        Assert.Equal("", env["SCRIPT_NAME"]);
        Assert.Equal("/env", env["PATH_INFO"]);
        Assert.Equal("x=1&y=%20z", env["QUERY_STRING"]);
        Assert.Equal("/env?x=1&y=%20z", env["REQUEST_URI"]);
        Assert.Equal("HTTP/1.1", env["SERVER_PROTOCOL"]);
        Assert.Equal("localhost", env["SERVER_NAME"]);
        Assert.Equal(Port.ToString(), env["SERVER_PORT"]);
        Assert.Equal("127.0.0.1", env["REMOTE_ADDR"]);
        Assert.Equal("custom value", env["HTTP_X_CUSTOM"]);
        Assert.Equal("http", env["wsgi.url_scheme"]);
        Assert.Equal("(1, 0)", env["wsgi.version"]);
        Assert.Equal("True", env["wsgi.multithread"]);
        Assert.Equal("False", env["wsgi.input_terminated"]);
    }

    [Fact]
    public void WsgiShim_QueryString_ParsedByApp()
    {
        var r = AppHttp.Get(Port, "/query?name=Ada&tag=a&tag=b%2Bc");
        Assert.Equal(200, r.Status);
        Assert.Equal("name=Ada tags=a,b+c\n", AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_PostForm_BodyReadByContentLength()
    {
        var r = AppHttp.Send(Port, "POST", "/form", "user=ada&comment=hello+world%21"u8.ToArray(), "application/x-www-form-urlencoded");
        Assert.Equal(200, r.Status);
        Assert.Equal("user=ada comment=hello world!\n", AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_PostForm_ContentTypeIsNotAlsoHttpContentType()
    {
        var r = AppHttp.Send(Port, "POST", "/env", "a=1"u8.ToArray(), "application/x-www-form-urlencoded");
        Assert.Equal(200, r.Status);
        var env = Lines(AppHttp.Text(r));
        Assert.Equal("application/x-www-form-urlencoded", env["CONTENT_TYPE"]);
        Assert.Equal("3", env["CONTENT_LENGTH"]);
        Assert.Equal("False", env["has_http_content_type"]);
    }

    [Fact]
    public void WsgiShim_PostJson_Answers201WithJson()
    {
        var r = AppHttp.Send(Port, "POST", "/json", """{"name": "ada", "n": [1, 2]}"""u8.ToArray(), "application/json");
        Assert.Equal(201, r.Status);
        Assert.Equal("application/json", r.Header("Content-Type"));
        Assert.Equal("""{"n": [1, 2], "name": "ada", "seen": true}""", AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_Upload10MiB_Sha256Echoed()
    {
        var body = new byte[10 * 1024 * 1024];
        new Random(10).NextBytes(body);
        var r = AppHttp.Send(Port, "PUT", "/sha", body, "application/octet-stream");
        Assert.Equal(200, r.Status);
        Assert.Equal($"{body.Length} {Convert.ToHexStringLower(SHA256.HashData(body))} terminated=False\n", AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_LargeBodyAppDoesNotRead_ResponseCompletes()
    {
        // nginx stops sending the body once the response begins and waits for its end: the shim must end the
        // response before dropping the unread rest (waiting for the body first deadlocks until a timeout). The
        // response has no Content-Length, so only the shim's end of the response tells nginx it is complete.
        var r = AppHttp.Send(Port, "POST", "/stream", new byte[3 * 1024 * 1024], "application/octet-stream");
        Assert.Equal(200, r.Status);
        Assert.Equal("part 0\npart 1\npart 2\npart 3\npart 4\n", AppHttp.Text(r));
    }

    [Theory]
    [InlineData("/lines")]      // through the validator (its iterator is built on readline)
    [InlineData("/raw/lines")]  // the shim's own readline(size) and __iter__
    public void WsgiShim_InputReadlineAndIteration_SplitAtNewlines(string target)
    {
        var r = AppHttp.Send(Port, "POST", target, "line one\nline two\nline three\nlast"u8.ToArray(), "text/plain");
        Assert.Equal(200, r.Status);
        Assert.Equal("""{"first": "line one\n", "limited": "line", "rest": [" two\n", "line three\n", "last"]}""" + "\n", AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_InputReadlines_AllLines()
    {
        var r = AppHttp.Send(Port, "POST", "/readlines", "a\nbb\n\nccc"u8.ToArray(), "text/plain");
        Assert.Equal(200, r.Status);
        Assert.Equal("""["a\n", "bb\n", "\n", "ccc"]""" + "\n", AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_GeneratorResponse_AllPartsInOrder()
    {
        var r = AppHttp.Get(Port, "/stream");
        Assert.Equal(200, r.Status);
        Assert.Equal("part 0\npart 1\npart 2\npart 3\npart 4\n", AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_WriteCallable_WrittenBeforeReturnedData()
    {
        var r = AppHttp.Get(Port, "/write");
        Assert.Equal(200, r.Status);
        Assert.Equal("written 1\nwritten 2\nreturned 3\n", AppHttp.Text(r));
    }

    [Theory]
    [InlineData("/raw/file?0")]    // a real file: os.sendfile
    [InlineData("/raw/file?100")]  // sendfile from the file's current position
    [InlineData("/file?100")]      // through the validator: plain iteration of the wrapper
    public void WsgiShim_FileWrapper_SendsTheFileFromItsPosition(string target)
    {
        var file = File.ReadAllBytes(ShimPaths.TestApp("wsgi_test_app.py"));
        var offset = int.Parse(target[(target.IndexOf('?') + 1)..]);
        var r = AppHttp.Get(Port, target);
        Assert.Equal(200, r.Status);
        Assert.Equal(file[offset..], r.Body);
    }

    [Fact]
    public void WsgiShim_FileWrapperOfNonFile_Iterated()
    {
        var r = AppHttp.Get(Port, "/raw/filelike");
        Assert.Equal(200, r.Status);
        Assert.Equal(string.Concat(Enumerable.Repeat("not a real file\n", 1000)), AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_ExcInfoBeforeOutput_ReplacesStatus()
    {
        var r = AppHttp.Get(Port, "/exc-before");
        Assert.Equal(503, r.Status);
        Assert.Equal("replaced by exc_info\n", AppHttp.Text(r));
    }

    [Fact]
    public void WsgiShim_ExcInfoAfterHeadSent_ReRaises()
    {
        var r = AppHttp.Get(Port, "/exc-after");
        Assert.Equal(200, r.Status);
        Assert.Equal("partial\nafter re-raise\n", AppHttp.Text(r));
        Assert.Contains("EXC_INFO_RERAISED", Shim.WaitForStderr("EXC_INFO_RERAISED"));
    }

    [Fact]
    public void WsgiShim_AppRaises_500AndTracebackOnStderr()
    {
        var r = AppHttp.Get(Port, "/raise");
        Assert.Equal(500, r.Status);
        var stderr = Shim.WaitForStderr("RuntimeError: boom-from-test-app");
        Assert.Contains("Traceback (most recent call last):", stderr);
        Assert.Contains("RuntimeError: boom-from-test-app", stderr);
    }

    [Fact]
    public void WsgiShim_HopByHopHeader_Refused500()
    {
        var r = AppHttp.Get(Port, "/hop");
        Assert.Equal(500, r.Status);
        Assert.Contains("hop-by-hop header not allowed", Shim.WaitForStderr("hop-by-hop header not allowed"));
    }

    [Fact]
    public void WsgiShim_SeveralSetCookie_AllPassedInOrder()
    {
        var r = AppHttp.Get(Port, "/cookies");
        Assert.Equal(200, r.Status);
        Assert.Equal(["a=1; Path=/", "b=2; HttpOnly", "c=3"], r.HeaderValues("Set-Cookie").ToArray());
    }

    [Fact]
    public void WsgiShim_Redirect_LocationPassed()
    {
        var r = AppHttp.Get(Port, "/redirect");
        Assert.Equal(302, r.Status);
        Assert.Equal("/elsewhere", r.Header("Location"));
    }

    [Fact]
    public void WsgiShim_Head_HeadersWithoutBody()
    {
        var get = AppHttp.Get(Port, "/cookies");
        var head = AppHttp.Head(Port, "/cookies");
        Assert.Equal(200, head.Status);
        Assert.Empty(head.Body);
        Assert.Equal(get.Header("Content-Length"), head.Header("Content-Length"));
        Assert.Equal(3, head.HeaderValues("Set-Cookie").Count());
    }

    [Fact]
    public void WsgiShim_IterableClose_CalledOncePerRequest()
    {
        static int Closed(int port) => int.Parse(AppHttp.Text(AppHttp.Get(port, "/closed")).Trim()["closed=".Length..]);
        var before = Closed(Port);
        Assert.Equal(200, AppHttp.Get(Port, "/stream").Status);
        Assert.Equal(200, AppHttp.Get(Port, "/write").Status);
        Assert.Equal(before + 2, Closed(Port));
    }

    [Fact]
    public void WsgiShim_Mount_SplitsScriptNameAndPathInfo()
    {
        var r = AppHttp.Get(Port, "/raw/env?q=1");
        Assert.Equal(200, r.Status);
        var env = Lines(AppHttp.Text(r));
        Assert.Equal("/raw", env["SCRIPT_NAME"]);
        Assert.Equal("/env", env["PATH_INFO"]);
        Assert.Equal("q=1", env["QUERY_STRING"]);
    }

    [Fact]
    public void WsgiShim_AppPrints_GoesToStderrNotStdout()
    {
        var r = AppHttp.Get(Port, "/print");
        Assert.Equal(200, r.Status);
        Assert.Contains("PRINTED-BY-APP", Shim.WaitForStderr("PRINTED-BY-APP"));
        Assert.Equal(ShimProcess.ReadyLine + "\n", Shim.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WsgiShim_FourThreads_ServeFourRequestsAtOnce()
    {
        // The app holds each /barrier request until four are inside it; one at a time, the barrier would break (500).
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => AppHttp.Get(Port, "/barrier"))));
        foreach (var r in responses)
        {
            Assert.Equal(200, r.Status);
            Assert.Equal("met\n", Encoding.UTF8.GetString(r.Body));
        }
    }
}
