using Microsoft.AspNetCore.Http;

namespace NginxLite.Handlers.Tests;

/// <summary>The status rules of nginx's header filters (ngx_http_header_filter_module.c, ngx_http_v2_filter_module.c)
/// within what Kestrel can send.</summary>
public sealed class HeaderOnlyStatusTests
{
    [Theory]
    [InlineData(100, true)]
    [InlineData(101, true)]
    [InlineData(200, false)]
    [InlineData(204, true)]
    [InlineData(205, true)]
    [InlineData(206, false)]
    [InlineData(304, true)]
    [InlineData(404, false)]
    public void HasNoBody_Status_HeaderOnlyOrRefusedByKestrel(int status, bool expected) =>
        Assert.Equal(expected, HeaderOnlyStatus.HasNoBody(status));

    [Theory]
    [InlineData(101, false)]
    [InlineData(200, true)]
    [InlineData(204, false)]
    [InlineData(205, false)]
    [InlineData(304, true)]
    [InlineData(500, true)]
    public void AllowsContentLength_Status_OnlyA304AmongBodiless(int status, bool expected) =>
        Assert.Equal(expected, HeaderOnlyStatus.AllowsContentLength(status));

    [Fact]
    public void ClearNoContent_GeneratedResponse_DropsTypeLengthAndLastModifiedKeepsOthers()
    {
        IHeaderDictionary headers = new HeaderDictionary();
        headers.ContentType = "text/plain";
        headers.ContentLength = 1;
        headers.LastModified = "Wed, 01 Jan 2020 00:00:00 GMT";
        headers.ETag = "\"5e0be100-5\"";
        headers["X-Kept"] = "yes";

        HeaderOnlyStatus.ClearNoContent(headers);

        Assert.False(headers.ContainsKey("Content-Type"));
        Assert.Null(headers.ContentLength);
        Assert.False(headers.ContainsKey("Last-Modified"));
        Assert.Equal("\"5e0be100-5\"", headers.ETag.ToString());
        Assert.Equal("yes", headers["X-Kept"].ToString());
    }

    [Fact]
    public void ClearUpstreamNoContent_UpstreamResponse_KeepsItsLastModified()
    {
        IHeaderDictionary headers = new HeaderDictionary();
        headers.ContentType = "text/html";
        headers.ContentLength = 0;
        headers.LastModified = "Wed, 01 Jan 2020 00:00:00 GMT";

        HeaderOnlyStatus.ClearUpstreamNoContent(headers);

        Assert.False(headers.ContainsKey("Content-Type"));
        Assert.Null(headers.ContentLength);
        Assert.Equal("Wed, 01 Jan 2020 00:00:00 GMT", headers.LastModified.ToString());
    }
}
