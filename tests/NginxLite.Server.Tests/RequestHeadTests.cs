using System.Text;
using NginxLite.Server.Http;

namespace NginxLite.Server.Tests;

/// <summary>nginx's request-line and header rules, applied before Kestrel parses the request (RequestHead).</summary>
public class RequestHeadTests
{
    private static (HeadParse Result, RequestHead Head) Parse(string request, bool ended = true)
    {
        var head = new RequestHead();
        var result = head.Parse(Encoding.Latin1.GetBytes(request), ended);
        return (result, head);
    }

    private static string Forwarded(RequestHead head, string request) =>
        head.Forward is { } f ? Encoding.Latin1.GetString(f) : request[..head.Consumed];

    [Theory]
    [InlineData("GET /a HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("POST /a?x=1 HTTP/1.0\r\nContent-Length: 0\r\n\r\n")]
    public void PlainRequest_IsForwardedAsItCame(string request)
    {
        var (result, head) = Parse(request);
        Assert.Equal(HeadParse.Ok, result);
        Assert.Null(head.Forward);
        Assert.Equal(request.Length, head.Consumed);
    }

    [Theory]
    [InlineData("GET /a HTTP/1.1\r\n\r\n", 400)] // no Host
    [InlineData("GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400)]
    [InlineData("GET /a HTTP/1.1\r\nHost: \r\n\r\n", 400)]
    [InlineData("GET /a HTTP/1.1\r\nHost: bad host\r\n\r\n", 400)]
    [InlineData("GET /a HTTP/1.1\r\nHost: a/b\r\n\r\n", 400)]
    [InlineData("get /a HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /a http/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /a HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("GET /a HTTP/1.1\r\nHost: a\r\nX Bad: 1\r\n\r\n", 400)]
    [InlineData("GET /a HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400)]
    [InlineData("GET /a HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", 400)]
    [InlineData("GET /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", 400)]
    [InlineData("GET /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [InlineData("GET /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("TRACE /a HTTP/1.1\r\nHost: a\r\n\r\n", 405)]
    [InlineData("POST /a\r\n", 400)] // HTTP/0.9 is GET only
    [InlineData("GET http://bad host/a HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    public void Rejected_WithNginxStatus(string request, int status)
    {
        var (result, head) = Parse(request);
        Assert.Equal(HeadParse.Reject, result);
        Assert.Equal(status, head.Reject);
        Assert.Contains($"{RequestHead.RejectHeader}: {status}\r\n", Forwarded(head, request), StringComparison.Ordinal);
    }

    [Fact]
    public void TooLongRequestLine_Is414_TooLongHeaderLine_Is494()
    {
        Assert.Equal(414, Parse("GET /" + new string('a', 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n").Head.Reject);
        Assert.Equal(414, Parse("GET /" + new string('a', 9000), ended: false).Head.Reject);
        Assert.Equal(494, Parse("GET / HTTP/1.1\r\nHost: a\r\nCookie: " + new string('c', 9000) + "\r\n\r\n").Head.Reject);
        Assert.Equal(HeadParse.Ok, Parse("GET /" + new string('a', 4000) + " HTTP/1.1\r\nHost: a\r\n\r\n").Result);
    }

    [Theory]
    [InlineData("GET /a HTTP/1.9\r\nHost: a\r\n\r\n", "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET  /a  HTTP/1.1 \nHost: a\n\n", "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a HTTP/1.1\r\nHost: localhost:abc\r\n\r\n", "GET /a HTTP/1.1\r\nHost:\r\nX-NginxLite-Host: localhost:abc\r\n\r\n")]
    [InlineData("GET /a HTTP/1.1\r\nHost: a\r\nNoColon\r\nUnder_Score: x\r\n\r\n", "GET /a HTTP/1.1\r\nHost: a\r\nNoColon: \r\n\r\n")]
    [InlineData("GET /a%00 HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.1\r\nX-NginxLite-Target: /a%00\r\nHost: a\r\n\r\n")]
    [InlineData("GET http://other.test/a?x HTTP/1.1\r\nHost: a\r\n\r\n", "GET /a?x HTTP/1.1\r\nHost: other.test\r\n\r\n")]
    [InlineData("GET /a HTTP/1.1\r\nHost: a\r\nX-NginxLite-Reject: 400\r\n\r\n", "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")]
    public void AcceptedByNginx_IsRewrittenForKestrel(string request, string forwarded)
    {
        var (result, head) = Parse(request);
        Assert.Equal(HeadParse.Ok, result);
        Assert.Equal(forwarded, Forwarded(head, request));
    }

    [Fact]
    public void Http09_HasNoHeaders_AndIsMarked()
    {
        var (result, head) = Parse("GET /index.html\r\n");
        Assert.Equal(HeadParse.Ok, result);
        Assert.True(head.Http09);
        Assert.StartsWith("GET /index.html HTTP/1.0\r\n" + RequestHead.Http09Header, Forwarded(head, "GET /index.html\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void IncompleteHead_NeedsMore_BodyFramingIsKnown()
    {
        Assert.Equal(HeadParse.NeedMore, Parse("GET /a HTTP/1.1\r\nHost: a\r\n", ended: false).Result);
        var (_, chunked) = Parse("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\n");
        Assert.Equal(BodyFraming.Chunked, chunked.Body);
        var (_, length) = Parse("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n");
        Assert.Equal(BodyFraming.Length, length.Body);
        Assert.Equal(7, length.ContentLength);
    }

    [Theory]
    [InlineData("/index.html#fragment", "/index.html")]
    [InlineData("/a%23b", "/a#b")]
    public void UriNormalizer_RawHashEndsThePath(string raw, string uri)
    {
        Assert.True(UriNormalizer.TryNormalize(raw, mergeSlashes: true, out var normalized));
        Assert.Equal(uri, normalized);
    }

    [Theory]
    [InlineData("bad host", false)]
    [InlineData("localhost:abc", true)]
    [InlineData("[::1", true)]
    [InlineData("user@localhost", true)]
    public void HostHeader_NginxValidation(string host, bool valid) => Assert.Equal(valid, HostHeader.TryValidate(host, out _));
}
