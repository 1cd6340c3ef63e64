using Xunit;
using System.Text;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// fastcgi_pass against a real php-fpm, nginx and nginxlite side by side: every request goes to both and must get the
/// same status, headers that matter, body, and the same FastCGI params as PHP saw them (dump.php prints $_SERVER).
/// </summary>
public sealed class FastCgiTests(FastCgiSite site) : IClassFixture<FastCgiSite>
{
    private UpstreamPair Pair => site.Pair!;

    [Fact]
    public void Params_SameAsNginx_WithSplitPathInfoAndIfNotEmpty()
    {
        var r = Pair.Both("params", port => UpstreamClient.Get(port, "/dump.php/extra/path?a=1&b=%20", "X-Some: here\r\nX-Override: client\r\n"));
        var p = UpstreamClient.Params(r);
        Assert.Equal("/dump.php", p["SCRIPT_NAME"]);
        Assert.Equal("/dump.php", p["X_SCRIPT_NAME"]);
        Assert.Equal("/extra/path", p["PATH_INFO"]);
        Assert.Equal(Path.Combine(site.Www, "dump.php"), p["SCRIPT_FILENAME"]);
        Assert.Equal("a=1&b=%20", p["QUERY_STRING"]);
        Assert.Equal("here", p["X_PRESENT"]);
        Assert.False(p.ContainsKey("X_EMPTY"));
        Assert.Equal("from-config", p["HTTP_X_OVERRIDE"]); // a configured HTTP_ param wins over the header
        Assert.False(p.ContainsKey("X_HTTP_LEVEL"));      // the location's params replace the levels above
        Assert.False(p.ContainsKey("X_SERVER_LEVEL"));
    }

    [Fact]
    public void Params_HttpParamWithEmptyValue_HidesHeaderAndIsNotSent_AsNginx()
    {
        // fastcgi_param HTTP_X_BLANK ""; — the client's X-Blank is hidden and no HTTP_X_BLANK is sent, not even empty.
        var p = UpstreamClient.Params(Pair.Both("empty HTTP_ param", port => UpstreamClient.Get(port, "/dump.php", "X-Blank: from-client\r\n")));
        Assert.False(p.ContainsKey("HTTP_X_BLANK"));
        Assert.Equal("from-config", p["HTTP_X_OVERRIDE"]); // the params around it are there
    }

    [Fact]
    public void Params_LocationWithoutParams_InheritsHttpLevel()
    {
        var p = UpstreamClient.Params(Pair.Both("inherit", port => UpstreamClient.Get(port, "/inherit/dump.php")));
        Assert.Equal("yes", p["X_SERVER_LEVEL"]);   // no fastcgi_param here: the server's list
        Assert.False(p.ContainsKey("X_HTTP_LEVEL")); // which replaced the http level's
        Assert.Equal(Path.Combine(site.Www, "dump.php"), p["SCRIPT_FILENAME"]);
    }

    [Fact]
    public void FastCgiIndex_AppendedToADirectoryUri()
    {
        var p = UpstreamClient.Params(Pair.Both("index", port => UpstreamClient.Get(port, "/idx/")));
        Assert.Equal(Path.Combine(site.Www, "idx", "dump.php"), p["SCRIPT_FILENAME"]);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1024, false)]
    [InlineData(1024, true)]
    [InlineData(1024 * 1024, false)]
    [InlineData(1024 * 1024, true)]
    public void RequestBody_ReachesPhp_BufferedAndStreamed(int size, bool chunked)
    {
        var body = UpstreamClient.Body(size);
        foreach (var prefix in new[] { "", "/stream" })
        {
            var r = Pair.Both($"body {size} chunked={chunked} {prefix}", port => UpstreamClient.Post(port, prefix + "/dump.php", body, chunked));
            var p = UpstreamClient.Params(r);
            if (chunked && prefix == "/stream" && size > 64 * 1024)
            {
                // Streamed with no length: CONTENT_LENGTH is empty and php-fpm reads no body (nginx alike).
                Assert.Equal("", p["CONTENT_LENGTH"]);
                continue;
            }

            Assert.Equal(size.ToString(), p["BODY_LENGTH"]);
            Assert.Equal(UpstreamClient.Md5(body), p["BODY_MD5"]);
        }
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(503)]
    public void Status_AndHeaders_AsNginx(int code)
    {
        var r = Pair.Both($"status {code}", port => UpstreamClient.Get(port, $"/status.php?code={code}"));
        Assert.Equal(code, r.Status);
        Assert.Equal(["first=1", "second=2"], r.HeaderValues("Set-Cookie"));
        Assert.Equal(code.ToString(), r.Header("X-Code"));
    }

    [Fact]
    public void Location_WithoutStatus_Is302()
    {
        var r = Pair.Both("redirect", port => UpstreamClient.Get(port, "/redirect.php"));
        Assert.Equal(302, r.Status);
    }

    [Fact]
    public void InterceptErrors_RunsErrorPage()
    {
        var r = Pair.Both("intercept 404", port => UpstreamClient.Get(port, "/intercept/status.php?code=404"));
        Assert.Equal("custom not found page\n", Encoding.ASCII.GetString(r.Body));
        var passed = Pair.Both("intercept 503 (no error_page)", port => UpstreamClient.Get(port, "/intercept/status.php?code=503"));
        Assert.Equal("status 503\n", Encoding.ASCII.GetString(passed.Body));
    }

    [Fact]
    public void HideHeader_RemovesIt()
    {
        var r = Pair.Both("hide", port => UpstreamClient.Get(port, "/hide/status.php?code=200"));
        Assert.Null(r.Header("X-Code"));
        Assert.Null(r.Header("Set-Cookie"));
    }

    [Theory]
    [InlineData("/big.php?n=0")]
    [InlineData("/big.php?n=100000")]
    [InlineData("/stream/big.php?n=3000000")]
    public void ResponseBody_SameBytes(string target)
    {
        var r = Pair.Both(target, port => UpstreamClient.Get(port, target));
        Assert.Equal(int.Parse(target[(target.IndexOf('=') + 1)..]), r.Body.Length);
    }

    [Fact]
    public void Stderr_LoggedAsNginxWordsIt()
    {
        Pair.Both("stderr", port => UpstreamClient.Get(port, "/stderr.php"));
        const string line = "[error] FastCGI sent in stderr: \"PHP message: something went wrong\" while reading response header from upstream";
        Assert.Contains(line, UpstreamPair.LogLines(Pair.Nginx!));
        Assert.Contains(line, UpstreamPair.LogLines(Pair.NginxLite));
    }

    [Fact]
    public void Head_NoBody()
    {
        var r = Pair.Both("HEAD", port => Http.RawHttpClient.Send(port, "HEAD /status.php HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray(), true, UpstreamClient.Timeout));
        Assert.Equal(200, r.Status);
        Assert.Empty(r.Body);
    }
}
