using Microsoft.AspNetCore.Http.Features;

namespace NginxLite.Handlers.Body;

/// <summary>
/// A request body whose length is not known up front: HTTP/1.1 chunked, or an HTTP/2 body without content-length (DATA
/// frames up to END_STREAM), which nginx reads as it reads a chunked one (ngx_http_v2_read_request_body sets
/// <c>r->headers_in.chunked</c>): buffered, counted against client_max_body_size as it comes, sent upstream with a
/// Content-Length. Without a header added, so <c>$http_transfer_encoding</c> and HTTP_TRANSFER_ENCODING stay as nginx.
/// </summary>
public static class RequestBodyLength
{
    public static bool IsUnknown(IFeatureCollection features)
    {
        var request = features.Get<IHttpRequestFeature>()!;
        var headers = request.Headers;
        if (headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return headers.ContentLength is null && Microsoft.AspNetCore.Http.HttpProtocol.IsHttp2(request.Protocol)
            && features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
    }
}
