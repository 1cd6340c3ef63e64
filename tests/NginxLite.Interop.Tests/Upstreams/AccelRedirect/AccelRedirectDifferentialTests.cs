using System.Text;
using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams.AccelRedirect;

/// <summary>
/// <c>X-Accel-Redirect</c> from a proxied response in nginx 1.22.1 and in nginxlite: the same status, body and kept
/// headers (Content-Type, Set-Cookie, Cache-Control; not the others), for a file in an <c>internal</c> location, a
/// named location, an escaped path, an unsafe path, and <c>proxy_ignore_headers X-Accel-Redirect</c>.
/// </summary>
public sealed class AccelRedirectDifferentialTests(AccelRedirectPair fixture) : IClassFixture<AccelRedirectPair>
{
    private static readonly string[] Compared = ["Content-Type", "Set-Cookie", "Cache-Control", "X-Other", "X-Accel-Redirect"];

    private RawResponse Both(string target) => fixture.Pair.Both(target, Compared);

    private static string Body(RawResponse r) => Encoding.Latin1.GetString(r.Body);

    [Fact]
    public void XAccelRedirect_ToInternalFile_ServesTheFileWithKeptHeaders()
    {
        var lite = Both("/p/?xar=/files/a.txt");
        Assert.Equal(200, lite.Status);
        Assert.Equal("protected file a\n", Body(lite));
        Assert.Equal("session=abc", lite.Header("Set-Cookie"));
        Assert.Null(lite.Header("X-Other"));
    }

    [Fact]
    public void XAccelRedirect_InternalLocationAskedDirectly_404()
    {
        Assert.Equal(404, Both("/files/a.txt").Status);
    }

    [Fact]
    public void XAccelRedirect_EscapedPath_Unescaped()
    {
        var lite = Both("/p/?xar=/files/a%20b.txt");
        Assert.Equal("protected file with a space\n", Body(lite));
    }

    [Fact]
    public void XAccelRedirect_NamedLocation_KeepsTheUri()
    {
        var lite = Both("/p/?xar=@named");
        Assert.Equal(200, lite.Status);
        Assert.StartsWith("named uri=/p/ ", Body(lite), StringComparison.Ordinal);
    }

    [Fact]
    public void XAccelRedirect_DotDot_404()
    {
        Assert.Equal(404, Both("/p/?xar=/files/../secret.txt").Status);
    }

    [Fact]
    public void XAccelRedirect_Ignored_RelaysTheBackendResponse()
    {
        var lite = Both("/ignored/?xar=/files/a.txt");
        Assert.Equal(200, lite.Status);
        Assert.Equal("backend body\n", Body(lite));
    }

    // The upstream's Content-Type (with a quoted charset) stays after an X-Accel-Redirect that ends in `return` text,
    // and its charset on nginx's own page (ngx_http_upstream_copy_content_type, ngx_http_send_special_response).
    [Theory]
    [InlineData("/pc/?xar=@named", 200, "text/x-back; charset=\"koi8-r\"")]
    [InlineData("/pc/?xar=/files/a.txt", 200, "text/x-back; charset=\"koi8-r\"")]
    [InlineData("/pc/?xar=/files/missing.txt", 404, "text/html; charset=koi8-r")]
    [InlineData("/pc/?xar=/files/../secret.txt", 404, "text/html; charset=koi8-r")]
    [InlineData("/pc/?xar=@gone", 403, "text/html; charset=koi8-r")]
    [InlineData("/p/?xar=@gone", 403, "text/html")]
    [InlineData("/p/?xar=/files/missing.txt", 404, "text/html")]
    public void XAccelRedirect_UpstreamContentType_KeptOrItsCharsetOnThePage(string target, int status, string contentType)
    {
        var lite = Both(target);
        Assert.Equal(status, lite.Status);
        Assert.Equal(contentType, lite.Header("Content-Type"));
    }
}
