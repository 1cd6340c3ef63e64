using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers;
using NginxLite.Server.Hosting;

namespace NginxLite.Server.Http;

/// <summary>
/// <c>stub_status</c> (ngx_http_stub_status_module): the counters in nginx's exact text, so nginx-prometheus-exporter
/// and other scrapers read it unchanged. GET and HEAD only (405 otherwise, as nginx). "Reading" (connections part-way
/// through a request head) is not tracked separately: those connections are counted in Waiting.
/// </summary>
internal sealed class StubStatusHandler(ConnectionStats stats) : IContentHandler
{
    public async ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request)
    {
        if (request.Method is not ("GET" or "HEAD"))
        {
            return HandlerResult.Error(405);
        }

        var accepted = stats.Accepted;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Active connections: {stats.Active} \nserver accepts handled requests\n {accepted} {accepted} {stats.Requests} \nReading: 0 Writing: {stats.Writing} Waiting: {stats.Waiting} \n");
        var body = Encoding.ASCII.GetBytes(text);
        var response = request.Features.Get<IHttpResponseFeature>()!;
        response.Headers.ContentType = "text/plain";
        response.Headers.ContentLength = body.Length;
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
