using System.Buffers;
using System.IO.Pipelines;
using NginxLite.Handlers.CgiUpstream;
using NginxLite.Protocols.Uwsgi;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Uwsgi;

/// <summary>
/// <c>uwsgi_pass</c> (ngx_http_uwsgi_module): the uwsgi packet (modifier1/modifier2 and the vars), the body as raw
/// bytes after it, and the application's raw HTTP response (status line and headers, or CGI-style headers), read until
/// the application closes the connection.
/// </summary>
public sealed class UwsgiHandler : IContentHandler
{
    private readonly Exchange _exchange;

    public UwsgiHandler()
        : this(new Upstream.UpstreamPeers())
    {
    }

    /// <summary>A handler taking its connections from <paramref name="peers"/> (shared with the other pass handlers).</summary>
    public UwsgiHandler(Upstream.UpstreamPeers peers) => _exchange = new Exchange(peers);

    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request) => _exchange.HandleAsync(request);

    private sealed class Exchange(Upstream.UpstreamPeers peers) : CgiUpstreamHandler(peers)
    {
        protected override string Directive => "uwsgi_pass";

        protected override string Scheme => "uwsgi://";

        protected override bool AllowStatusLine => true;

        protected override CgiUpstreamSettings SettingsOf(IUpstreamRequest request) => request.Settings.Uwsgi;

        // ngx_http_uwsgi_handler streams only a body of known length: the application reads CONTENT_LENGTH bytes.
        protected override bool CanStream(bool chunked) => !chunked;

        protected override bool WriteHead(PipeWriter writer, IUpstreamRequest request, List<KeyValuePair<string, string>> parameters)
        {
            var s = request.Settings.Uwsgi;
            return UwsgiPacketWriter.Write(writer, parameters, s.Modifier1, s.Modifier2);
        }

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
