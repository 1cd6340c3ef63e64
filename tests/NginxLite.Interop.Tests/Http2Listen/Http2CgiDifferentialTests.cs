using System.Net;
using System.Net.Http;
using System.Text;
using Xunit;

namespace NginxLite.Interop.Tests.Http2Listen;

/// <summary>
/// nginxlite's <c>cgi</c> from an HTTP/2 request (h2c, prior knowledge) against nginx 1.22.1 + fcgiwrap running the same
/// scripts: the same status and body, SERVER_PROTOCOL "HTTP/2.0" (RFC 3875 4.1.16: the protocol of the request), and a
/// body without content-length read whole and given with CONTENT_LENGTH (RFC 3875 4.1.2, ngx_http_v2_read_request_body).
/// </summary>
public sealed class Http2CgiDifferentialTests(H2CgiPair pair) : IClassFixture<H2CgiPair>
{
    [Fact]
    public void CgiOverH2_Get_SameMetaVariablesAsFcgiwrap()
    {
        var (a, b) = Both("/cgi-bin/env.cgi/extra/path?a=1&b=%20x", HttpMethod.Get, null, false, [("x-test", "yes")]);

        Assert.Equal(a.Body, b.Body);
        Assert.Equal("HTTP/2.0|GET|a=1&b=%20x|/cgi-bin/env.cgi|/extra/path|||yes|CGI/1.1\n", b.Body);
    }

    [Fact]
    public void CgiOverH2_PostKnownLength_SameMetaVariablesAsFcgiwrap()
    {
        var (a, b) = Both("/cgi-bin/env.cgi", HttpMethod.Post, "abc"u8.ToArray(), false);

        Assert.Equal(a.Body, b.Body);
        Assert.Equal("HTTP/2.0|POST||/cgi-bin/env.cgi||3|||CGI/1.1\n", b.Body);
    }

    [Fact]
    public void CgiOverH2_PostWithoutContentLength_ContentLengthSetAsFcgiwrapGets()
    {
        // a body the script does not read stays small: fcgiwrap answers 502 when its pipe to the script fills
        var (a, b) = Both("/cgi-bin/env.cgi", HttpMethod.Post, "hello"u8.ToArray(), true);

        Assert.Equal(a.Body, b.Body);
        Assert.Equal("HTTP/2.0|POST||/cgi-bin/env.cgi||5|||CGI/1.1\n", b.Body);
    }

    [Fact]
    public void CgiOverH2_EchoBodyWithoutContentLength_SameBytesAsFcgiwrap()
    {
        // DATA frames up to END_STREAM (several frames: more than the 16 KiB default frame size)
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n")));
        var (a, b) = Both("/cgi-bin/echo.cgi", HttpMethod.Post, body, true);

        Assert.Equal(Encoding.ASCII.GetString(body), b.Body);
        Assert.True(a.Body == b.Body, "bodies differ");
        Assert.Equal(a.Header("content-type"), b.Header("content-type"));
    }

    private (H2Get.Result Nginx, H2Get.Result NginxLite) Both(string path, HttpMethod method, byte[]? body, bool unknownLength,
        IEnumerable<(string Name, string Value)>? headers = null) =>
        H2Get.BothH2c(pair.Nginx, pair.NginxLite, path, method, body, unknownLength, headers);
}
