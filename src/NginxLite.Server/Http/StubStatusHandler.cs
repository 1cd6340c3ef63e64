using System.Globalization;
using System.Text;
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
    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request) =>
        StatusResponse.SendAsync(request, "text/plain", Render);

    private byte[] Render()
    {
        var accepted = stats.Accepted;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Active connections: {stats.Active} \nserver accepts handled requests\n {accepted} {accepted} {stats.Requests} \nReading: 0 Writing: {stats.Writing} Waiting: {stats.Waiting} \n");
        return Encoding.ASCII.GetBytes(text);
    }
}
