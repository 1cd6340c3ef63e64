using System.Text;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>uwsgi_pass against a real uWSGI running a WSGI app that echoes its environ and body: nginx and nginxlite
/// side by side, the same status, headers, body and vars.</summary>
public sealed class UwsgiTests(UwsgiSite site) : IClassFixture<UwsgiSite>
{
    private UpstreamPair Pair => site.Pair!;

    [Fact]
    public void Vars_SameAsNginx_WithIfNotEmpty()
    {
        var r = Pair.Both("vars", port => UpstreamClient.Get(port, "/some/path?a=1&b=%20", "X-Some: here\r\n"));
        var p = UpstreamClient.Params(r);
        Assert.Equal("/some/path", p["PATH_INFO"]);
        Assert.Equal("a=1&b=%20", p["QUERY_STRING"]);
        Assert.Equal("here", p["X_PRESENT"]);
        Assert.Equal("here", p["HTTP_X_SOME"]);
        Assert.False(p.ContainsKey("X_EMPTY"));
        Assert.False(p.ContainsKey("X_HTTP_LEVEL"));
    }

    [Fact]
    public void Vars_LocationWithoutParams_InheritsHttpLevel()
    {
        var p = UpstreamClient.Params(Pair.Both("inherit", port => UpstreamClient.Get(port, "/inherit/x")));
        Assert.Equal("http", p["X_HTTP_LEVEL"]);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1024, false)]
    [InlineData(1024, true)]
    [InlineData(1024 * 1024, false)]
    [InlineData(1024 * 1024, true)]
    public void RequestBody_ReachesTheApp_BufferedAndStreamed(int size, bool chunked)
    {
        var body = UpstreamClient.Body(size);
        foreach (var prefix in new[] { "/body", "/stream/body" })
        {
            var r = Pair.Both($"body {size} chunked={chunked} {prefix}", port => UpstreamClient.Post(port, prefix, body, chunked));
            var p = UpstreamClient.Params(r);
            Assert.Equal(size.ToString(), p["BODY_LENGTH"]);
            Assert.Equal(UpstreamClient.Md5(body), p["BODY_MD5"]);
        }
    }

    [Theory]
    [InlineData(200)]
    [InlineData(404)]
    [InlineData(500)]
    public void Status_AndHeaders_AsNginx(int code)
    {
        var r = Pair.Both($"status {code}", port => UpstreamClient.Get(port, $"/status/{code}"));
        Assert.Equal(code, r.Status);
        Assert.Equal(["first=1", "second=2"], r.HeaderValues("Set-Cookie"));
    }

    [Fact]
    public void Redirect_LocationPassedAsIs()
    {
        var r = Pair.Both("redirect", port => UpstreamClient.Get(port, "/redirect"));
        Assert.Equal(302, r.Status);
        Assert.Equal("/elsewhere?x=1", r.Header("Location"));
    }

    [Fact]
    public void InterceptErrors_RunsErrorPage()
    {
        var r = Pair.Both("intercept", port => UpstreamClient.Get(port, "/intercept/status/404"));
        Assert.Equal("custom not found\n", Encoding.ASCII.GetString(r.Body));
    }

    [Fact]
    public void HideHeader_RemovesIt()
    {
        Assert.Null(Pair.Both("hide", port => UpstreamClient.Get(port, "/hide/status/200")).Header("X-Code"));
    }

    [Theory]
    [InlineData("/big/0")]
    [InlineData("/big/100000")]
    [InlineData("/stream/big/3000000")]
    public void ResponseBody_SameBytes(string target)
    {
        var r = Pair.Both(target, port => UpstreamClient.Get(port, target));
        Assert.Equal(int.Parse(target[(target.LastIndexOf('/') + 1)..]), r.Body.Length);
    }
}
