using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace NginxLite.Protocols.Cgi;

/// <summary>
/// Parses an upstream response head as nginx's fastcgi and uwsgi modules do: CGI-style header lines (RFC 3875 6.2,
/// <c>Status:</c> and <c>Location:</c> give the status) or, for uwsgi, an HTTP status line first. Lines end with LF or
/// CRLF; the head ends with an empty line. A line without a colon is a header with an empty value and only a NUL is
/// invalid (ngx_http_parse_header_line with the upstream's leniency).
/// </summary>
public static class ResponseHeadParser
{
    /// <summary>
    /// True and the head when <paramref name="buffer"/> holds the whole head (<paramref name="consumed"/> = its length);
    /// false when more bytes are needed (nothing consumed). Throws <see cref="ResponseHeadException"/> for an invalid
    /// header or status.
    /// </summary>
    public static bool TryParse(in ReadOnlySequence<byte> buffer, bool allowStatusLine, [NotNullWhen(true)] out ResponseHead? head, out long consumed)
    {
        head = null;
        consumed = 0;
        var reader = new SequenceReader<byte>(buffer);
        var result = new ResponseHead { Status = 200 };
        if (allowStatusLine)
        {
            if (!TryStatusLine(ref reader, result, out var incomplete))
            {
                if (incomplete)
                {
                    return false;
                }

                reader = new SequenceReader<byte>(buffer); // not a status line: CGI-style headers (nginx's fallback)
            }
        }

        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                return false;
            }

            var text = Latin1(line);
            if (text.EndsWith('\r'))
            {
                text = text[..^1];
            }

            if (text.Length == 0)
            {
                break;
            }

            if (text.Contains('\0'))
            {
                Throw("upstream sent invalid header");
            }

            var colon = text.IndexOf(':');
            var name = colon < 0 ? text : text[..colon];
            var value = colon < 0 ? "" : text[(colon + 1)..].Trim(' ', '\t');
            result.Headers.Add(new(name, value));
        }

        ApplyStatus(result);
        head = result;
        consumed = reader.Consumed;
        return true;
    }

    /// <summary>nginx's rule: a <c>Status:</c> header wins (first three chars a number, else "invalid status"), else
    /// <c>Location:</c> means 302, else 200. With an HTTP status line, that line decides.</summary>
    private static void ApplyStatus(ResponseHead head)
    {
        if (head.HasStatus)
        {
            return;
        }

        if (head.Get("Status") is { } status)
        {
            var code = 0;
            if (status.Length < 3 || !int.TryParse(status.AsSpan(0, 3), System.Globalization.NumberStyles.None, null, out code))
            {
                Throw($"upstream sent invalid status \"{status}\"");
            }

            head.Status = code;
            head.Reason = status.Length > 4 ? status[4..].Trim() : null;
            head.HasStatus = true;
        }
        else if (head.Get("Location") is not null)
        {
            head.Status = 302;
            head.Reason = "Moved Temporarily";
        }
    }

    /// <summary>"HTTP/x.y SSS reason": false with <paramref name="incomplete"/> when the line is not all there yet,
    /// false without it when this is not a status line.</summary>
    private static bool TryStatusLine(ref SequenceReader<byte> reader, ResponseHead head, out bool incomplete)
    {
        incomplete = false;
        ReadOnlySpan<byte> prefix = "HTTP/"u8;
        Span<byte> start = stackalloc byte[5];
        var available = (int)Math.Min(reader.Remaining, 5);
        reader.UnreadSequence.Slice(0, available).CopyTo(start);
        if (!prefix.StartsWith(start[..available]))
        {
            return false;
        }

        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            incomplete = true;
            return false;
        }

        var text = Latin1(line).TrimEnd('\r');

        // HTTP/1.1 200 OK — ngx_http_parse_status_line: digits for the version, three digits for the status.
        var space = text.IndexOf(' ');
        if (space < 6 || text.Length < space + 4 || !int.TryParse(text.AsSpan(space + 1, 3), System.Globalization.NumberStyles.None, null, out var code)
            || (text.Length > space + 4 && text[space + 4] != ' ') || code < 100)
        {
            return false;
        }

        head.Status = code;
        head.Reason = text.Length > space + 5 ? text[(space + 5)..] : null;
        head.HasStatus = true;
        return true;
    }

    private static string Latin1(in ReadOnlySequence<byte> bytes) => Encoding.Latin1.GetString(bytes);

    [DoesNotReturn]
    [StackTraceHidden]
    private static void Throw(string message) => throw new ResponseHeadException(message);
}
