using NginxLite.Server.Http;

namespace NginxLite.Server.Tests.Http2;

/// <summary>nginx's HTTP/2 header-name rules (ngx_http_v2_validate_header) and request checks
/// (ngx_http_process_request_header) as applied to HTTP/2 requests.</summary>
public sealed class Http2RequestHeadersTests
{
    [Theory]
    [InlineData("x-forwarded-for", false, true)]
    [InlineData("User-Agent", false, true)]
    [InlineData("x9", false, true)]
    [InlineData("x_y", false, false)]
    [InlineData("x_y", true, true)]
    [InlineData("x.y", true, false)]
    [InlineData("x~y", false, false)]
    public void Http2RequestHeaders_Name_ValidAsNginx(string name, bool underscores, bool valid) =>
        Assert.Equal(valid, Http2RequestHeaders.IsValidName(name, underscores));

    [Theory]
    [InlineData("TRACE", "", 405)]
    [InlineData("GET", "Authorization", 400)]
    [InlineData("GET", "If-Modified-Since", 400)]
    [InlineData("GET", "Accept", 0)]
    [InlineData("GET", "", 0)]
    public void Http2RequestHeaders_Reject_AsNginx(string method, string twice, int status)
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary { ["Host"] = "a.test" };
        if (twice.Length > 0)
        {
            headers[twice] = new Microsoft.Extensions.Primitives.StringValues(["a", "b"]);
        }

        Assert.Equal(status, Http2RequestHeaders.Reject(method, headers, out var reason));
        Assert.Equal(status != 0, reason is not null);
    }
}
