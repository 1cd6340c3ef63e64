using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace NginxLite.Interop.Tests.Http2Listen;

/// <summary>
/// app_pass from an HTTP/2 request (h2c, prior knowledge) against nginx 1.22.1 → uwsgi_pass → uWSGI running the same
/// WSGI app: the same status and the same environ values (SERVER_PROTOCOL "HTTP/2.0" from uwsgi_params'
/// $server_protocol; a body without content-length read whole and passed with CONTENT_LENGTH, as
/// ngx_http_v2_read_request_body and ngx_http_uwsgi_module do), and the same bytes of a streamed response.
/// </summary>
public sealed class Http2AppPassDifferentialTests(H2AppPassPair pair) : IClassFixture<H2AppPassPair>
{
    /// <summary>The environ keys both servers build from the request (ports, paths and wsgi.* are each server's own;
    /// HTTP_CONTENT_LENGTH is dropped by the shim as PEP 3333 asks, where uWSGI keeps it: docs/app-shims.md).</summary>
    private static readonly string[] Keys =
    [
        "SERVER_PROTOCOL", "REQUEST_METHOD", "REQUEST_URI", "PATH_INFO", "QUERY_STRING", "CONTENT_LENGTH", "CONTENT_TYPE",
        "HTTP_TRANSFER_ENCODING", "HTTP_HOST", "HTTP_X_CUSTOM", "REQUEST_SCHEME", "HTTPS", "BODY_LENGTH", "BODY_MD5",
    ];

    [Fact]
    public void AppPassOverH2_Get_SameEnvironAsUwsgi()
    {
        var (a, b) = Both("/env/x?y=1&z=%20", HttpMethod.Get, null, false, [("x-custom", "yes")]);

        Assert.Equal(Environ(a.Body), Environ(b.Body));
        Assert.Contains("SERVER_PROTOCOL=HTTP/2.0", Environ(b.Body));
        Assert.Contains("HTTP_X_CUSTOM=yes", Environ(b.Body));
        Assert.Contains("BODY_LENGTH=0", Environ(b.Body));
    }

    [Fact]
    public void AppPassOverH2_PostKnownLength_SameEnvironAsUwsgi()
    {
        var body = Bytes(100_000, 1);
        var (a, b) = Both("/post?k=v", HttpMethod.Post, body, false);

        Assert.Equal(Environ(a.Body), Environ(b.Body));
        Assert.Contains($"CONTENT_LENGTH={body.Length}", Environ(b.Body));
        Assert.Contains($"BODY_MD5={Convert.ToHexStringLower(MD5.HashData(body))}", Environ(b.Body));
    }

    [Fact]
    public void AppPassOverH2_PostWithoutContentLength_BodyBufferedAndLengthSentAsUwsgiGets()
    {
        // DATA frames up to END_STREAM, no content-length: nginx reads the whole body and sends CONTENT_LENGTH
        var body = Bytes(200_000, 2);
        var (a, b) = Both("/post", HttpMethod.Post, body, true);

        Assert.Equal(Environ(a.Body), Environ(b.Body));
        Assert.Contains($"CONTENT_LENGTH={body.Length}", Environ(b.Body));
        Assert.Contains($"BODY_LENGTH={body.Length}", Environ(b.Body));
        Assert.Contains($"BODY_MD5={Convert.ToHexStringLower(MD5.HashData(body))}", Environ(b.Body));
        Assert.DoesNotContain(Environ(b.Body), l => l.StartsWith("HTTP_TRANSFER_ENCODING=", StringComparison.Ordinal));
    }

    [Fact]
    public void AppPassOverH2_PostWithoutContent_ContentLengthZeroAsUwsgiGets()
    {
        // .NET's client sends content-length: 0 on a POST without content (END_STREAM on HEADERS)
        var (a, b) = Both("/post", HttpMethod.Post, null, false);

        Assert.Equal(Environ(a.Body), Environ(b.Body));
        Assert.Contains("CONTENT_LENGTH=0", Environ(b.Body));
        Assert.Contains("BODY_LENGTH=0", Environ(b.Body));
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(1_048_576)]
    public void AppPassOverH2_StreamedResponse_SameBytesAsUwsgi(int length)
    {
        // the app yields 8 KiB parts and sends no Content-Length: DATA frames as they come, END_STREAM at the end
        var (a, b) = Both($"/big/{length}", HttpMethod.Get, null, false);

        Assert.Equal(length, b.Body.Length);
        Assert.True(a.Body == b.Body, "bodies differ");
        Assert.Equal(a.Header("content-type"), b.Header("content-type"));
        Assert.Equal(a.Header("content-length"), b.Header("content-length"));
        Assert.StartsWith("0123456789abcdef", b.Body, StringComparison.Ordinal);
    }

    private (H2Get.Result Nginx, H2Get.Result NginxLite) Both(string path, HttpMethod method, byte[]? body, bool unknownLength,
        IEnumerable<(string Name, string Value)>? headers = null) =>
        H2Get.BothH2c(pair.Nginx, pair.NginxLite, path, method, body, unknownLength, headers);

    private static List<string> Environ(string dump) =>
        [.. dump.Split('\n').Where(l => Keys.Any(k => l.StartsWith(k + "=", StringComparison.Ordinal))).Order(StringComparer.Ordinal)];

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
