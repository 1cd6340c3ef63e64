using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers;

namespace NginxLite.Server.Http;

/// <summary>What the status handlers (stub_status, nginxlite_status, status_page) answer alike: GET and HEAD only (405 otherwise,
/// as nginx's stub_status), a whole body of known length, no body for HEAD.</summary>
internal static class StatusResponse
{
    public static async ValueTask<HandlerResult> SendAsync(
        IUpstreamRequest request, string contentType, Func<byte[]> render, string? cacheControl = null, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        if (request.Method is not ("GET" or "HEAD"))
        {
            return HandlerResult.Error(405);
        }

        var body = render();
        var response = request.Features.Get<IHttpResponseFeature>()!;
        response.Headers.ContentType = contentType;
        response.Headers.ContentLength = body.Length;
        if (cacheControl is not null)
        {
            response.Headers.CacheControl = cacheControl;
        }

        foreach (var (name, value) in headers ?? [])
        {
            response.Headers[name] = value;
        }

        request.StartResponse(200);
        if (request.Method == "HEAD")
        {
            return HandlerResult.Sent;
        }

        await request.Features.Get<IHttpResponseBodyFeature>()!.Writer.WriteAsync(body, request.Aborted);
        request.CountBodyBytes(body.Length);
        return HandlerResult.Sent;
    }
}
