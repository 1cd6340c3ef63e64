using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace NginxLite.Handlers;

/// <summary>
/// ngx_http_header_filter's status rules for a response nginx makes itself (<c>return</c>, a static file, a status
/// page, an <c>error_page =204</c>): there is no upstream status line, so the filter looks at the status. A 204 is
/// header-only and loses Content-Type, Content-Length and the generated Last-Modified; a 304 is only header-only
/// (its Content-Type and Content-Length stay: <c>return 304;</c> sends <c>text/plain</c> and <c>Content-Length: 0</c>).
/// An upstream's response keeps its status line, so over HTTP/1 nginx leaves its headers alone; the HTTP/2 filter
/// (ngx_http_v2_header_filter) looks at the status only and takes the type off an upstream's 204 as well.
/// </summary>
public static class HeaderOnlyStatus
{
    /// <summary>True when no body goes on the wire: nginx's header-only statuses 204 and 304, and those Kestrel refuses
    /// a body for (1xx, 205), for which nginx would send the body it was given.</summary>
    public static bool HasNoBody(int status) => status is < 200 or 204 or 205 or 304;

    /// <summary>True when a Content-Length may be sent with the status: Kestrel answers 500 for a non-zero one on a
    /// 1xx, 204 or 205 (RFC 9110 §8.6: no Content-Length in a 1xx or 204), while a 304 carries the length it was given.</summary>
    public static bool AllowsContentLength(int status) => !HasNoBody(status) || status == 304;

    /// <summary>The header filter's 204: drops Content-Type, Content-Length and Last-Modified. Call before
    /// <c>add_header</c> runs: a Last-Modified added by it is a plain header line nginx keeps.</summary>
    public static void ClearNoContent(IHeaderDictionary headers)
    {
        headers.Remove(HeaderNames.ContentType);
        headers.ContentLength = null;
        headers.Remove(HeaderNames.LastModified);
    }

    /// <summary>The HTTP/2 header filter's 204 on an upstream's response: Content-Type and Content-Length go, while
    /// the upstream's Last-Modified, a header line of its own in nginx's list, stays.</summary>
    public static void ClearUpstreamNoContent(IHeaderDictionary headers)
    {
        headers.Remove(HeaderNames.ContentType);
        headers.ContentLength = null;
    }
}
