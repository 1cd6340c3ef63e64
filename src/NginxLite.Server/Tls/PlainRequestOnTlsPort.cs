using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using NginxLite.Server.Http;

namespace NginxLite.Server.Tls;

/// <summary>
/// nginx's answer to plain HTTP on an <c>ssl</c> port (ngx_http_ssl_handshake peeks the first byte: 0x16, a TLS
/// handshake record, or 0x80, an SSLv2-style hello, start TLS; anything else is read as HTTP and answered with its
/// 497 page, "400 The plain HTTP request was sent to HTTPS port", and the connection closed). Kestrel's TLS middleware
/// would only drop such a connection, so this one runs in front of it and answers as nginx does. Not supported:
/// <c>error_page 497</c> (the page is always nginx's built-in one).
/// </summary>
internal static class PlainRequestOnTlsPort
{
    private const int HeadLimit = 32 * 1024;

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(Func<TimeSpan> headerTimeout) => next => async connection =>
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(headerTimeout());
        ReadResult first;
        try
        {
            first = await input.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (first.Buffer.IsEmpty)
        {
            input.AdvanceTo(first.Buffer.End);
            return;
        }

        var b = first.Buffer.FirstSpan[0];
        input.AdvanceTo(first.Buffer.Start); // nothing consumed or examined: TLS reads the same bytes again
        if (b is 0x16 or 0x80)
        {
            await next(connection);
            return;
        }

        await AnswerAsync(connection, timeout.Token);
    };

    /// <summary>Reads the request head (nginx answers after it has read it) and sends the 497 page.</summary>
    private static async Task AnswerAsync(ConnectionContext connection, CancellationToken timeout)
    {
        var input = connection.Transport.Input;
        var head = false;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout);
                var buffer = read.Buffer;
                var end = HeadEnd(buffer);
                head = StartsWithHead(buffer);
                if (end >= 0 || buffer.Length > HeadLimit || read.IsCompleted)
                {
                    input.AdvanceTo(buffer.End);
                    if (end < 0 && read.IsCompleted)
                    {
                        return;
                    }

                    break;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var page = StatusPages.Page(497, serverTokens: true)!;
        var response = Encoding.ASCII.GetBytes(
            "HTTP/1.1 400 Bad Request\r\n"
            + $"Server: {StatusPages.Product}/{StatusPages.Version}\r\n"
            + $"Date: {DateTime.UtcNow:R}\r\n"
            + "Content-Type: text/html\r\n"
            + $"Content-Length: {page.Length}\r\n"
            + "Connection: close\r\n\r\n");
        await connection.Transport.Output.WriteAsync(response);
        if (!head)
        {
            await connection.Transport.Output.WriteAsync(page);
        }

        await connection.Transport.Output.CompleteAsync();
    }

    private static long HeadEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryAdvanceToAny("\n"u8) && TryFindBlankLine(ref reader) ? reader.Consumed : -1;
    }

    // A blank line ends the head: "\n\n" or "\n\r\n" (nginx accepts a bare LF as a line end).
    private static bool TryFindBlankLine(ref SequenceReader<byte> reader)
    {
        while (true)
        {
            if (!reader.TryRead(out var c))
            {
                return false;
            }

            if (c == '\n' || (c == '\r' && reader.IsNext((byte)'\n', advancePast: true)))
            {
                return true;
            }

            if (!reader.TryAdvanceTo((byte)'\n'))
            {
                return false;
            }
        }
    }

    private static bool StartsWithHead(ReadOnlySequence<byte> buffer) =>
        buffer.Length >= 5 && buffer.Slice(0, 5).ToArray().AsSpan().SequenceEqual("HEAD "u8);
}
