using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace NginxLite.Server.Hosting;

/// <summary>
/// A cleartext <c>listen … http2</c> socket that receives something other than the HTTP/2 connection preface (RFC 9113
/// 3.4), e.g. an HTTP/1.1 request: nginx 1.22 (ngx_http_v2_state_preface, once 24 bytes have come) sends its SETTINGS
/// and WINDOW_UPDATE, a GOAWAY with PROTOCOL_ERROR, closes, and logs "invalid connection preface" at info. Kestrel
/// would answer an HTTP/1.1 400 text instead; this middleware runs in front of it and answers as nginx does, byte for
/// byte (nginx 1.22.1 with the default http2_* settings, which NginxLite ignores).
/// </summary>
internal static class Http2PrefaceCheck
{
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    // SETTINGS (MAX_CONCURRENT_STREAMS 128, INITIAL_WINDOW_SIZE 65536, MAX_FRAME_SIZE 16777215), WINDOW_UPDATE of the
    // connection window by 2147418112, GOAWAY (last stream 0, PROTOCOL_ERROR): as captured from nginx 1.22.1.
    private static readonly byte[] NginxRefusal =
    [
        0x00, 0x00, 0x12, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x03, 0x00, 0x00, 0x00, 0x80, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0xff, 0xff, 0xff,
        0x00, 0x00, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7f, 0xff, 0x00, 0x00,
        0x00, 0x00, 0x08, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    ];

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(Func<TimeSpan> timeout, Action<ConnectionContext> logInvalid) => next => async connection =>
    {
        var input = connection.Transport.Input;
        using var cts = new CancellationTokenSource(timeout());
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(cts.Token);
                var buffer = read.Buffer;
                if (buffer.Length >= Preface.Length || read.IsCompleted)
                {
                    var valid = buffer.Length >= Preface.Length && StartsWithPreface(buffer);
                    input.AdvanceTo(buffer.Start); // nothing consumed: Kestrel reads the preface itself
                    if (valid)
                    {
                        break;
                    }

                    if (buffer.Length > 0)
                    {
                        logInvalid(connection);
                        await connection.Transport.Output.WriteAsync(NginxRefusal, cts.Token);
                    }

                    return;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await next(connection);
    };

    private static bool StartsWithPreface(ReadOnlySequence<byte> buffer)
    {
        Span<byte> first = stackalloc byte[24];
        buffer.Slice(0, first.Length).CopyTo(first);
        return first.SequenceEqual(Preface);
    }
}
