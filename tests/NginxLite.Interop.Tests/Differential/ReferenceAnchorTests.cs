using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// The site is served as intended by the reference: a table where both sides answered 500 everywhere would
/// "agree" on every row. These anchors pin what nginx answers for one row of each kind.
/// </summary>
public sealed class ReferenceAnchorTests(NginxPair pair) : IClassFixture<NginxPair>
{
    [Theory]
    [InlineData("GET /index.html", 200)]
    [InlineData("GET /big.bin", 200)]
    [InlineData("GET /missing", 404)]
    [InlineData("GET /docs", 301)]
    [InlineData("GET /noindex/", 403)]
    [InlineData("GET /static/logo.svg", 200)]
    [InlineData("GET /user/alice", 200)]
    [InlineData("GET /app/missing", 200)]
    [InlineData("GET /moved/guide/page.html", 301)]
    [InlineData("GET /temp/guide/page.html?drop=me", 302)]
    [InlineData("GET /legacy/guide/page.html", 200)]
    [InlineData("GET /loop/x", 500)]
    [InlineData("GET /hello [no Host]", 400)]
    [InlineData("GET /hello [Host: other.test]", 200)]
    [InlineData("GET /%2e%2e/etc/passwd", 400)]
    [InlineData("GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaa…(9001 chars)", 414)]
    [InlineData("GET /index.html [If-None-Match: {etag}]", 304)]
    [InlineData("GET /index.html [If-Modified-Since: {last-modified}]", 304)]
    [InlineData("GET /index.html [If-Match: \"other\"]", 412)]
    [InlineData("GET /style.css [If-None-Match: \"other\"]", 200)]
    [InlineData("GET /index.html [HTTP/2.0 request line]", 505)]
    [InlineData("GET /big.bin [Range: bytes=0-99]", 206)]
    [InlineData("GET /big.bin [Range: bytes=0-0,10-19]", 206)]
    [InlineData("GET /big.bin [Range: bytes=99999999-]", 416)]
    [InlineData("PUT /index.html", 405)]
    public void Reference_AnchorRow_ExpectedStatus(string request, int status)
    {
        Assert.True(RequestTable.All.ContainsKey(request), $"no row named {request}");
        var row = RequestTable.All[request];
        var port = pair.Reference.Port;
        string? etag = null, lastModified = null;
        if (row.ValidatorsOf is { } path)
        {
            var head = RawHttpClient.Send(port, new HttpRequestCase("probe", "HEAD", path).Render(port, null, null), true, ServerPair.RequestTimeout);
            (etag, lastModified) = (head.Header("ETag"), head.Header("Last-Modified"));
            Assert.NotNull(etag);
            Assert.NotNull(lastModified);
        }

        var r = RawHttpClient.Send(port, row.Render(port, etag, lastModified), row.IsHead, ServerPair.RequestTimeout);

        Assert.True(status == r.Status, $"nginx answered {r.StatusLine} to {request}\n{r.Dump()}");
    }
}
