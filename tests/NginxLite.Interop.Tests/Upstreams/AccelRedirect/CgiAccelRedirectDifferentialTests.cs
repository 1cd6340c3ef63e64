using System.Text;
using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams.AccelRedirect;

/// <summary>
/// <c>X-Accel-Redirect</c> from fastcgi_pass (php-fpm) and uwsgi_pass (uWSGI) responses in nginx 1.22.1 and in
/// nginxlite: the same status, body and kept headers for a file in an <c>internal</c> location, a named location, an
/// unsafe path, and <c>fastcgi_ignore_headers</c> / <c>uwsgi_ignore_headers X-Accel-Redirect</c>.
/// </summary>
public sealed class CgiAccelRedirectDifferentialTests(CgiAccelRedirectPair fixture) : IClassFixture<CgiAccelRedirectPair>
{
    // Content-Type is compared everywhere: after `return` or an error page nginx keeps the upstream's Content-Type, or
    // its charset on its own page (php-fpm's "text/x-php;charset=UTF-8"; the WSGI app's "text/x-py" has none).
    private static readonly string[] Compared = ["Content-Type", "Set-Cookie", "Cache-Control", "X-Other", "X-Accel-Redirect"];

    private RawResponse Both(string target, string method = "GET") => fixture.Pair.Both(target, Compared, method);

    private static string Body(RawResponse r) => Encoding.Latin1.GetString(r.Body);

    [Theory]
    [InlineData("/php/", "session=php")]
    [InlineData("/py/", "session=py")]
    public void XAccelRedirect_ToInternalFile_ServesTheFileWithKeptHeaders(string location, string cookie)
    {
        var lite = Both(location + "?xar=/files/a.txt");
        Assert.Equal(200, lite.Status);
        Assert.Equal("protected file a\n", Body(lite));
        Assert.Equal(cookie, lite.Header("Set-Cookie"));
        Assert.Equal("no-cache", lite.Header("Cache-Control"));
        Assert.Null(lite.Header("X-Other"));
    }

    [Theory]
    [InlineData("/php/")]
    [InlineData("/py/")]
    public void XAccelRedirect_HeadRequest_StaysHead(string location)
    {
        var lite = Both(location + "?xar=/files/a.txt", "HEAD");
        Assert.Equal(200, lite.Status);
        Assert.Empty(lite.Body);
    }

    [Theory]
    [InlineData("/php/", "text/x-php;charset=UTF-8")]
    [InlineData("/py/", "text/x-py")]
    public void XAccelRedirect_NamedLocation_KeepsTheUriArgsAndUpstreamContentType(string location, string contentType)
    {
        var lite = Both(location + "?xar=@named");
        Assert.Equal($"named uri={location} args=xar=@named\n", Body(lite));
        Assert.Equal(contentType, lite.Header("Content-Type"));
    }

    [Theory]
    [InlineData("/php/", "text/html; charset=UTF-8")]
    [InlineData("/py/", "text/html")]
    public void XAccelRedirect_DotDot_404WithUpstreamCharset(string location, string contentType)
    {
        var lite = Both(location + "?xar=/files/../secret.txt");
        Assert.Equal(404, lite.Status);
        Assert.Equal(contentType, lite.Header("Content-Type"));
    }

    [Theory]
    [InlineData("/php/", "text/html; charset=UTF-8")]
    [InlineData("/py/", "text/html")]
    public void XAccelRedirect_MissingFile_404WithUpstreamCharset(string location, string contentType)
    {
        var lite = Both(location + "?xar=/files/missing.txt");
        Assert.Equal(404, lite.Status);
        Assert.Equal(contentType, lite.Header("Content-Type"));
    }

    [Theory]
    [InlineData("/php/", "text/html; charset=UTF-8")]
    [InlineData("/py/", "text/html")]
    public void XAccelRedirect_NamedLocationReturning403_PageWithUpstreamCharset(string location, string contentType)
    {
        var lite = Both(location + "?xar=@gone");
        Assert.Equal(403, lite.Status);
        Assert.Equal(contentType, lite.Header("Content-Type"));
    }

    [Theory]
    [InlineData("/php-ignored/", "php body\n")]
    [InlineData("/py-ignored/", "python body\n")]
    public void XAccelRedirect_IgnoreHeaders_RelaysTheBackendResponse(string location, string body)
    {
        var lite = Both(location + "?xar=/files/a.txt");
        Assert.Equal(200, lite.Status);
        Assert.Equal(body, Body(lite));
        Assert.Equal("dropped", lite.Header("X-Other"));
    }

    [Theory]
    [InlineData("/php/", "php body\n")]
    [InlineData("/py/", "python body\n")]
    public void XAccelRedirect_Absent_RelaysTheBackendResponse(string location, string body)
    {
        var lite = Both(location);
        Assert.Equal(body, Body(lite));
    }
}
