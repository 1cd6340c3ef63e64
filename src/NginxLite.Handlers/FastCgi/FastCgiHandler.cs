using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using NginxLite.Handlers.CgiUpstream;
using NginxLite.Protocols.FastCgi;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.FastCgi;

/// <summary>
/// <c>fastcgi_pass</c> (ngx_http_fastcgi_module): one RESPONDER request per connection — BEGIN_REQUEST (with
/// FCGI_KEEP_CONN under <c>fastcgi_keep_conn on</c>), PARAMS, STDIN streamed in records of at most 64 KiB — and a
/// response read record by record: STDOUT is the CGI response, STDERR goes to the error log, END_REQUEST ends it.
/// </summary>
public sealed class FastCgiHandler : IContentHandler
{
    private readonly Exchange _exchange;

    public FastCgiHandler()
        : this(new Upstream.UpstreamPeers())
    {
    }

    /// <summary>A handler taking its connections from <paramref name="peers"/> (shared with the other pass handlers).</summary>
    public FastCgiHandler(Upstream.UpstreamPeers peers) => _exchange = new Exchange(peers);

    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request) => _exchange.HandleAsync(request);

    private sealed class Exchange(Upstream.UpstreamPeers peers) : CgiUpstreamHandler(peers)
    {
        protected override string Directive => "fastcgi_pass";

        protected override string Scheme => "fastcgi://";

        // FCGI_KEEP_CONN asks the application to keep the connection after END_REQUEST; the group's keepalive cache
        // then holds it (ngx_http_fastcgi_module sets u->keepalive only then).
        protected override bool KeepsConnection(IUpstreamRequest request) => request.Settings.FastCgi.KeepConn;

        protected override bool AllowStatusLine => false;

        protected override CgiUpstreamSettings SettingsOf(IUpstreamRequest request) => request.Settings.FastCgi;

        protected override bool CanStream(bool chunked) => true;

        // framed is app_pass's (a uwsgi pool), never set for fastcgi_pass.
        private protected override HeadWrite WriteHead(PipeWriter writer, IUpstreamRequest request, List<KeyValuePair<string, string>> parameters, bool framed)
        {
            FastCgiRecordWriter.WriteBeginRequest(writer, request.Settings.FastCgi.KeepConn);
            FastCgiParams.Write(writer, parameters);
            return HeadWrite.Written;
        }

        protected override void WriteBody(PipeWriter writer, in ReadOnlySequence<byte> data) =>
            FastCgiRecordWriter.WriteStream(writer, FastCgiRecordType.Stdin, data);

        protected override void WriteBodyEnd(PipeWriter writer) => FastCgiRecordWriter.WriteEnd(writer, FastCgiRecordType.Stdin);

        protected override bool Decode(ref SequenceReader<byte> input, bool upstreamClosed, ResponseRelay relay, IUpstreamRequest request)
        {
            for (var start = input.Consumed; FastCgiRecordReader.TryRead(ref input, out var record); start = input.Consumed)
            {
                switch (record.Type)
                {
                    case FastCgiRecordType.Stdout:
                        relay.ContentAt = relay.RawBase + start + 8; // after the 8-byte record header
                        relay.Accept(record.Content);
                        if (relay.Intercepted != 0)
                        {
                            return true;
                        }

                        break;
                    case FastCgiRecordType.Stderr:
                        LogStderr(request, record.Content, relay);
                        break;
                    case FastCgiRecordType.EndRequest:
                        if (!relay.HeadDone)
                        {
                            throw UpstreamErrors.Protocol("upstream prematurely closed FastCGI stdout", UpstreamErrors.ReadingHeader);
                        }

                        return true;
                    default:
                        request.LogUpstream(ErrorLevel.Error, $"upstream sent unexpected FastCGI record: {(int)record.Type} "
                            + (relay.HeadDone ? UpstreamErrors.Reading : UpstreamErrors.ReadingHeader), relay.Upstream);
                        break;
                }
            }

            return false;
        }

        /// <summary>nginx logs each STDERR record, without its trailing CR/LF, as
        /// <c>FastCGI sent in stderr: "…" while reading response header from upstream</c>.</summary>
        private static void LogStderr(IUpstreamRequest request, in ReadOnlySequence<byte> content, ResponseRelay relay)
        {
            var text = Encoding.Latin1.GetString(content).TrimEnd('\r', '\n').TrimStart('\r', '\n');
            if (text.Length == 0)
            {
                return;
            }

            var stage = relay.HeadDone ? UpstreamErrors.Reading : UpstreamErrors.ReadingHeader;
            request.LogUpstream(ErrorLevel.Error, $"FastCGI sent in stderr: \"{text}\" {stage}", relay.Upstream);
        }
    }
}
