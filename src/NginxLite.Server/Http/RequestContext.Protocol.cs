using System.Globalization;
using System.Text;
using NginxLite.Routing;

namespace NginxLite.Server.Http;

/// <summary>What <see cref="Hosting.RequestHeadFilter"/> told about the request: nginx's rejection, or the original
/// target and host where Kestrel was handed a form it accepts.</summary>
internal sealed partial class RequestContext
{
    // Why an HTTP/2 request was rejected, for the error log (HTTP/1 rejections keep the generic reason).
    private string? _rejectReason;

    /// <summary>Restores the original request; the status nginx rejects it with, or 0.</summary>
    private int ApplyRequestHead()
    {
        var headers = _request.Headers;
        if (IsHttp2)
        {
            // An HTTP/2 request never went through the head filter: any X-NginxLite-* header is the client's own, and
            // is dropped with nginx's HTTP/2 header rules once the server is known (ApplyHttp2Headers). The checks of
            // ngx_http_process_request_header that the filter makes on HTTP/1 are made here.
            return Http2RequestHeaders.Reject(_request.Method, headers, out _rejectReason);
        }

        if (headers.Count == 0)
        {
            return 0;
        }

        var reject = 0;
        if (headers.Remove(RequestHead.RejectHeader, out var status))
        {
            reject = int.Parse(status.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
        }

        if (headers.Remove(RequestHead.TargetHeader, out var target))
        {
            _request.RawTarget = Utf8(target.ToString());
        }

        if (headers.Remove(RequestHead.HostOverrideHeader, out var host))
        {
            headers.Host = host.ToString();
        }

        if (headers.Remove(RequestHead.Http09Header))
        {
            _request.Protocol = "HTTP/0.9";
        }

        return reject;
    }

    /// <summary>nginx's HTTP/2 header-name rules, with the underscores_in_headers and ignore_invalid_headers of the server
    /// the request's Host selected (checked against nginx 1.22.1).</summary>
    private void ApplyHttp2Headers()
    {
        if (IsHttp2 && Server is { } server)
        {
            Http2RequestHeaders.Apply(_request.Headers, server.UnderscoresInHeaders, server.IgnoreInvalidHeaders,
                name => Log(ErrorLevel.Info, $"client sent invalid header: \"{name.ToLowerInvariant()}\" while reading client request headers"));
        }
    }

    /// <summary>Kestrel decodes header bytes as Latin-1 (lossless); the bytes are UTF-8 for nginx's purposes.</summary>
    internal static string Utf8(string latin1)
    {
        foreach (var c in latin1)
        {
            if (c > 0x7f)
            {
                return Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(latin1));
            }
        }

        return latin1;
    }
}
