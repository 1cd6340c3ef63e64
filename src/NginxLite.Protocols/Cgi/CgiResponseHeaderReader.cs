using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace NginxLite.Protocols.Cgi;

/// <summary>
/// Reads a CGI response's header block (RFC 3875 §6.2–6.3, and §5 for NPH scripts) one complete line at a time:
/// <see cref="TryRead"/> returns false while the next line is not all there and never consumes part of a line, so the
/// caller feeds the rest when more bytes arrive. Lines end with LF or CRLF (scripts write either); no I/O.
/// </summary>
public static class CgiResponseHeaderReader
{
    private static ReadOnlySpan<byte> HttpPrefix => "HTTP/"u8;

    /// <summary>
    /// Reads header lines into <paramref name="head"/> until the empty line (true, <see cref="CgiResponseHead.IsComplete"/>)
    /// or until the buffered bytes end inside a line (false). Throws <see cref="CgiProtocolException"/> on a malformed line.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, CgiResponseHead head)
    {
        while (!head.IsComplete)
        {
            var start = reader.Consumed;
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                return false;
            }

            head.HeaderBytes += reader.Consumed - start;
            var span = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
            if (span.Length > 0 && span[^1] == '\r')
            {
                span = span[..^1];
            }

            if (span.IsEmpty)
            {
                head.IsComplete = true;
                return true;
            }

            var first = head.HeaderBytes == reader.Consumed - start;
            if (first && span.StartsWith(HttpPrefix))
            {
                ReadStatusLine(span, head);
                continue;
            }

            ReadField(span, head);
        }

        return true;
    }

    /// <summary>NPH: <c>HTTP/1.1 200 OK</c>.</summary>
    private static void ReadStatusLine(ReadOnlySpan<byte> line, CgiResponseHead head)
    {
        var space = line.IndexOf((byte)' ');
        int code = 0;
        string? reason = null;
        if (space < 0 || !TryParseStatus(line[(space + 1)..], out code, out reason))
        {
            Throw(CgiHeaderError.InvalidStatusLine, "upstream sent invalid status line");
        }

        head.NphStatusLine = true;
        head.Status = code;
        head.Reason = reason;
    }

    private static void ReadField(ReadOnlySpan<byte> line, CgiResponseHead head)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            Throw(CgiHeaderError.InvalidHeaderLine, "upstream sent invalid header");
        }

        var name = Encoding.Latin1.GetString(line[..colon]);
        var value = Encoding.Latin1.GetString(line[(colon + 1)..].Trim(" \t"u8));
        if (name.Equals("Status", StringComparison.OrdinalIgnoreCase) && !head.NphStatusLine)
        {
            if (!TryParseStatus(line[(colon + 1)..].Trim(" \t"u8), out var code, out var reason))
            {
                Throw(CgiHeaderError.InvalidStatus, $"upstream sent invalid status \"{value}\"");
            }

            head.Status = code;
            head.Reason = reason;
        }
        else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            head.ContentType = value;
        }
        else if (name.Equals("Location", StringComparison.OrdinalIgnoreCase))
        {
            head.Location = value;
        }
        else
        {
            head.Fields.Add(new(name, value));
        }
    }

    /// <summary><c>3DIGIT [SP reason-phrase]</c>, 100–999.</summary>
    private static bool TryParseStatus(ReadOnlySpan<byte> text, out int code, out string? reason)
    {
        code = 0;
        reason = null;
        if (text.Length < 3 || !char.IsAsciiDigit((char)text[0]) || !char.IsAsciiDigit((char)text[1]) || !char.IsAsciiDigit((char)text[2])
            || text[0] == '0' || (text.Length > 3 && text[3] != ' ' && text[3] != '\t'))
        {
            return false;
        }

        code = ((text[0] - '0') * 100) + ((text[1] - '0') * 10) + (text[2] - '0');
        var rest = text[3..].Trim(" \t"u8);
        reason = rest.IsEmpty ? null : Encoding.Latin1.GetString(rest);
        return true;
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b <= ' ' || b >= 127 || "()<>@,;:\\\"/[]?={}"u8.Contains(b))
            {
                return false;
            }
        }

        return true;
    }

    [DoesNotReturn]
    [StackTraceHidden]
    private static void Throw(CgiHeaderError reason, string message) => throw new CgiProtocolException(reason, message);
}
