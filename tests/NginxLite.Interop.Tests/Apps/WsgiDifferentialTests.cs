using System.Security.Cryptography;
using System.Text;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// The seed apps (../shared/examples/seed, used as they are) and a Django project, each behind real nginx under the
/// shim and under real uWSGI: the same requests get the same status, headers that matter and body.
/// </summary>
public sealed class WsgiDifferentialTests
{
    private static readonly byte[] Form = "user=ada&comment=hello+world"u8.ToArray();

    /// <summary>Requests every app gets, whatever its routes.</summary>
    private static void CommonTable(WsgiReferencePair pair)
    {
        pair.Same("GET /", p => AppHttp.Get(p, "/"));
        pair.Same("GET /?q=1", p => AppHttp.Get(p, "/?q=1&r=%20"));
        pair.Same("GET /missing", p => AppHttp.Get(p, "/missing/path?x=1"));
        pair.Same("HEAD /", p => AppHttp.Head(p, "/"));
        pair.Same("POST / form", p => AppHttp.Send(p, "POST", "/", Form, "application/x-www-form-urlencoded"));
        pair.Same("DELETE /", p => AppHttp.Send(p, "DELETE", "/"));
    }

    [Theory]
    [InlineData("simple_app:simple_app", "Hello, WSGI!")]
    [InlineData("flask_app:app", "Hello, Flask!")]
    [InlineData("myapp:app", "Hello, Development!")]
    [InlineData("request_flow", "Hello, World!")]
    public void SeedApp_ShimAndUwsgi_SameResponses(string module, string hello)
    {
        using var dir = new TempDir("nginxlite-wsgi-diff-");
        using var pair = new WsgiReferencePair(dir, RepoPaths.Seed, module);
        var r = pair.Same("GET / (hello)", p => AppHttp.Get(p, "/"));
        Assert.Equal(200, r.Status);
        Assert.Equal(hello, AppHttp.Text(r));
        CommonTable(pair);
    }

    [Fact]
    public void RequestFlowSeed_NonRootPath_404NotFoundUnderBoth()
    {
        using var dir = new TempDir("nginxlite-wsgi-diff-");
        using var pair = new WsgiReferencePair(dir, RepoPaths.Seed, "request_flow");
        var r = pair.Same("GET /other", p => AppHttp.Get(p, "/other"));
        Assert.Equal(404, r.Status);
        Assert.Equal("Not Found", AppHttp.Text(r));
        Assert.Equal(404, pair.Same("POST /", p => AppHttp.Send(p, "POST", "/", Form, "application/x-www-form-urlencoded")).Status);
    }

    [Fact]
    public void DjangoProject_ShimAndUwsgi_SameResponses()
    {
        using var dir = new TempDir("nginxlite-wsgi-django-");
        using var pair = new WsgiReferencePair(dir, DjangoProject.Write(dir), DjangoProject.Module);
        CommonTable(pair);

        Assert.Equal("Hello, Django!", AppHttp.Text(pair.Same("GET /", p => AppHttp.Get(p, "/"))));
        Assert.Equal("user=ada comment=hello world",
            AppHttp.Text(pair.Same("POST /form", p => AppHttp.Send(p, "POST", "/form", Form, "application/x-www-form-urlencoded"))));
        var json = pair.Same("POST /json", p => AppHttp.Send(p, "POST", "/json?q=k", """{"a": [1, 2]}"""u8.ToArray(), "application/json"));
        Assert.Equal(201, json.Status);
        Assert.Equal("""{"got": {"a": [1, 2]}, "method": "POST", "q": "k"}""", AppHttp.Text(json));

        var upload = new byte[10 * 1024 * 1024];
        new Random(6).NextBytes(upload);
        Assert.Equal($"{upload.Length} {Convert.ToHexStringLower(SHA256.HashData(upload))}",
            AppHttp.Text(pair.Same("POST /upload 10 MiB", p => AppHttp.Send(p, "POST", "/upload", upload, "application/octet-stream"))));

        Assert.Equal("line 0\nline 1\nline 2\nline 3\nline 4\n", AppHttp.Text(pair.Same("GET /stream", p => AppHttp.Get(p, "/stream"))));
        Assert.Equal(2, pair.Same("GET /cookies", p => AppHttp.Get(p, "/cookies")).HeaderValues("Set-Cookie").Count());
        Assert.Equal("/target/?a=1", pair.Same("GET /redirect", p => AppHttp.Get(p, "/redirect")).Header("Location"));
        Assert.Equal(404, pair.Same("GET /cookies/", p => AppHttp.Get(p, "/cookies/")).Status);
        Assert.Equal(404, pair.Same("GET /nope", p => AppHttp.Get(p, "/nope")).Status);
        Assert.Equal(500, pair.Same("GET /boom", p => AppHttp.Get(p, "/boom")).Status);
        Assert.Equal(200, pair.Same("HEAD /cookies", p => AppHttp.Head(p, "/cookies")).Status);
    }
}
