using System.Buffers;
using System.IO.Pipelines;
using NginxLite.Handlers.CgiUpstream;
using NginxLite.Protocols.Uwsgi;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Uwsgi;

/// <summary>
/// The uwsgi wire format on top of the shared CGI-upstream exchange: the uwsgi packet (modifier1/modifier2 and the
/// vars), the body as raw bytes after it, and the application's raw HTTP response (status line and headers, or
/// CGI-style headers), read until the application closes the connection. Used by <c>uwsgi_pass</c> and, with the
/// connection taken from an app pool, by <c>app_pass</c>.
/// </summary>
internal class UwsgiExchange(Upstream.UpstreamPeers peers) : CgiUpstreamHandler(peers)
{
    protected override string Directive => "uwsgi_pass";

    protected override string Scheme => "uwsgi://";

    protected override bool AllowStatusLine => true;

    protected override CgiUpstreamSettings SettingsOf(IUpstreamRequest request) => request.Settings.Uwsgi;

    /// <summary>
    /// <c>uwsgi_pass suwsgi://…</c> speaks uwsgi over TLS with the uwsgi_ssl_* settings, and the log names the schema
    /// "suwsgi://" (ngx_http_uwsgi_handler). A target of variables may name the scheme in its value: ngx_http_uwsgi_eval
    /// cuts "uwsgi://" or "suwsgi://" per request (the latter turns TLS on).
    /// </summary>
    private protected override PassTarget Target(IUpstreamRequest request, CgiUpstreamSettings settings)
    {
        var uwsgi = (UwsgiSettings)settings;
        var value = uwsgi.Pass?.Evaluate(request) ?? "";
        var (address, tls) = uwsgi.Tls ? (value, true) : uwsgi.Pass is { IsLiteral: false } ? UwsgiTarget.StripScheme(value) : (value, false);
        return new(address, tls ? "suwsgi://" : Scheme, tls ? uwsgi.Ssl : null);
    }

    /// <summary>modifier1 and modifier2 of the packet (<c>uwsgi_modifier1</c>/<c>uwsgi_modifier2</c>).</summary>
    protected virtual (byte Modifier1, byte Modifier2) Modifiers(IUpstreamRequest request) =>
        (request.Settings.Uwsgi.Modifier1, request.Settings.Uwsgi.Modifier2);

    // ngx_http_uwsgi_handler streams only a body of known length: the application reads CONTENT_LENGTH bytes.
    protected override bool CanStream(bool chunked) => !chunked;

    /// <summary>app_pass's mark (modifier2 78, 'N'): "frame the response and keep the connection" (docs/apps.md,
    /// "What app_pass sends"). nginx's uwsgi_pass sends its <c>uwsgi_modifier2</c>, 0 by default.</summary>
    internal const byte FramedModifier2 = 78;

    /// <summary>The largest vars block the peer takes: app_pass's pool's buffer_size (<see cref="UwsgiSettings.MaxVarsBlock"/>,
    /// set when the location was compiled); uwsgi_pass knows no limit of its peer but the packet's own.</summary>
    protected virtual int MaxVarsBlock(IUpstreamRequest request) => UwsgiPacketWriter.MaxVarsLength;

    private protected override HeadWrite WriteHead(PipeWriter writer, IUpstreamRequest request, List<KeyValuePair<string, string>> parameters, bool framed)
    {
        // The vars are measured once: the same length decides the refusals and is written.
        var length = UwsgiPacketWriter.VarsLength(parameters);
        if (length < 0)
        {
            return HeadWrite.TooBig;
        }

        if (length > MaxVarsBlock(request))
        {
            return HeadWrite.OverPeerBuffer;
        }

        var (modifier1, modifier2) = Modifiers(request);
        UwsgiPacketWriter.Write(writer, parameters, length, modifier1, framed ? FramedModifier2 : modifier2);
        return HeadWrite.Written;
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
        if (relay.Framed)
        {
            return DecodeFrames(ref input, relay);
        }

        relay.ContentAt = relay.RawBase + input.Consumed;
        relay.Accept(input.UnreadSequence);
        input.AdvanceToEnd();
        return relay.Intercepted != 0 || (upstreamClosed && relay.HeadDone);
    }

    /// <summary>app_pass frames: a u32le length and that many response bytes, repeated; length 0 ends the response (the
    /// connection then carries the next request). A partial frame header is left unconsumed for the next read.</summary>
    private static bool DecodeFrames(ref SequenceReader<byte> input, ResponseRelay relay)
    {
        while (!input.End)
        {
            if (relay.FrameLeft == 0)
            {
                if (!input.TryReadLittleEndian(out int length))
                {
                    return relay.Intercepted != 0;
                }

                if (length == 0)
                {
                    return true;
                }

                if (length < 0)
                {
                    throw UpstreamErrors.Protocol("upstream sent invalid frame length", relay.HeadDone ? UpstreamErrors.Reading : UpstreamErrors.ReadingHeader);
                }

                relay.FrameLeft = length;
                continue;
            }

            var take = Math.Min(relay.FrameLeft, input.Remaining);
            relay.ContentAt = relay.RawBase + input.Consumed;
            relay.Accept(input.UnreadSequence.Slice(0, take));
            input.Advance(take);
            relay.FrameLeft -= take;
            if (relay.Intercepted != 0)
            {
                return true;
            }
        }

        return relay.Intercepted != 0;
    }
}
