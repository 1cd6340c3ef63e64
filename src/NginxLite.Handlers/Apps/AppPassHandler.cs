using System.Buffers;
using System.IO.Pipelines;
using NginxLite.Handlers.CgiUpstream;
using NginxLite.Protocols.Uwsgi;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Apps;

/// <summary>
/// <c>app_pass NAME</c>: the uwsgi exchange of <c>uwsgi_pass</c> (params, body, response relay, 502/504 lines), with
/// the connection taken from the app pool's least-busy worker and the built-in uwsgi params (docs/apps.md).
/// </summary>
public sealed class AppPassHandler(IAppPools pools) : IContentHandler
{
    private readonly Exchange _exchange = new(pools);

    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request)
    {
        var name = request.Settings.Upstream?.Target ?? "";
        if (request.Settings.AppPass is null || pools.Find(name) is null)
        {
            // -t refuses an unknown name; this is a pool that failed to start or was removed by a reload in flight.
            request.Log(ErrorLevel.Error, $"app \"{name}\" is not running");
            return ValueTask.FromResult(HandlerResult.Error(502));
        }

        return _exchange.HandleAsync(request);
    }

    private sealed class Exchange(IAppPools pools) : CgiUpstreamHandler(new Upstream.UpstreamPeers())
    {
        protected override string Directive => "app_pass";

        protected override string Scheme => "uwsgi://";

        protected override bool AllowStatusLine => true;

        protected override CgiUpstreamSettings SettingsOf(IUpstreamRequest request) => request.Settings.AppPass!;

        protected override IAppPool? PoolOf(IUpstreamRequest request) => pools.Find(request.Settings.Upstream!.Target);

        // As uwsgi_pass: a chunked body is buffered so the app gets CONTENT_LENGTH; a known length is streamed.
        protected override bool CanStream(bool chunked) => !chunked;

        protected override bool WriteHead(PipeWriter writer, IUpstreamRequest request, List<KeyValuePair<string, string>> parameters) =>
            UwsgiPacketWriter.Write(writer, parameters, 0, 0);

        protected override void WriteBody(PipeWriter writer, in ReadOnlySequence<byte> data)
        {
            foreach (var segment in data)
            {
                writer.Write(segment.Span);
            }
        }

        protected override void WriteBodyEnd(PipeWriter writer)
        {
        }

        protected override bool Decode(ref SequenceReader<byte> input, bool upstreamClosed, ResponseRelay relay, IUpstreamRequest request)
        {
            relay.Accept(input.UnreadSequence);
            input.AdvanceToEnd();
            return relay.Intercepted != 0 || (upstreamClosed && relay.HeadDone);
        }
    }
}
