using System.Buffers;
using System.Text;

namespace NginxLite.Protocols.Http1;

/// <summary>
/// Reads an HTTP/1.x response head (status line, header lines, empty line) from buffered bytes, with nginx's rules
/// (ngx_http_parse_status_line / ngx_http_parse_header_line as the proxy module uses them): lines end in CRLF or LF,
/// the reason phrase may be empty, a header value is trimmed of spaces, a name may not hold control bytes.
/// No I/O: the caller feeds what it has; <see cref="ReadStatus.Incomplete"/> consumes whole lines only.
/// </summary>
public static class HttpResponseHeadReader
{
    /// <summary>Parses as much of the head as <paramref name="reader"/> holds into <paramref name="head"/>.
    /// On <see cref="ReadStatus.Incomplete"/> the reader is left after the last complete line (the head keeps the lines
    /// read so far: call again with the same head and the rest). On <see cref="ReadStatus.Invalid"/>,
    /// <paramref name="error"/> is nginx's wording ("upstream sent no valid HTTP/1.0 header", "upstream sent invalid
    /// header").</summary>
    public static ReadStatus TryRead(ref SequenceReader<byte> reader, HttpResponseHead head, out string? error)
    {
        error = null;
        while (true)
        {
            if (!TryReadLine(ref reader, out var line))
            {
                return ReadStatus.Incomplete;
            }

            if (head.Status == 0)
            {
                if (!ParseStatusLine(line, head))
                {
                    error = "upstream sent no valid HTTP/1.0 header";
                    return ReadStatus.Invalid;
                }

                continue;
            }

            if (line.Length == 0)
            {
                return Finish(head, out error);
            }

            // ngx_http_parse_header_line: only a NUL byte makes a header line invalid; a line without a colon is a
            // name with an empty value, odd name bytes are tolerated (the caller drops names it cannot send on).
            if (line.IndexOf((byte)0) is >= 0 and var nul)
            {
                // nginx prints the line up to the bad byte, the byte in hex, and "...".
                error = "upstream sent invalid header: \"" + Encoding.Latin1.GetString(line[..nul]) + "\\x00...\"";
                return ReadStatus.Invalid;
            }

            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                colon = line.Length;
            }

            if (colon == 0)
            {
                continue;
            }

            var name = Encoding.Latin1.GetString(line[..colon]);
            var value = colon >= line.Length ? "" : Encoding.Latin1.GetString(line[(colon + 1)..].Trim((byte)' ').Trim((byte)'\t'));
            head.Headers.Add(new(name, value));
        }
    }

    private static ReadStatus Finish(HttpResponseHead head, out string? error)
    {
        error = null;
        head.ConnectionClose = head.Version == 10;
        foreach (var (name, value) in head.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                // nginx 1.22 takes the first parseable value and ignores a broken one (the body then runs until the
                // upstream closes); the "invalid Content-Length" 502 came with nginx 1.23.
                if (head.ContentLength < 0
                    && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
                {
                    head.ContentLength = length;
                }
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                // nginx 1.22 treats any value containing "chunked" as chunked and ignores others.
                if (value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    head.Chunked = true;
                }
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Contains("close", StringComparison.OrdinalIgnoreCase))
                {
                    head.ConnectionClose = true;
                }
                else if (value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase))
                {
                    head.ConnectionClose = false;
                }
            }
        }

        if (head.Chunked)
        {
            // nginx 1.22: chunked wins over a Content-Length sent with it.
            head.ContentLength = -1;
        }

        return ReadStatus.Complete;
    }

    // "HTTP/1.1 200 OK", "HTTP/1.0 404", "HTTP/1.1 200 " — three-digit status, optional reason.
    private static bool ParseStatusLine(ReadOnlySpan<byte> line, HttpResponseHead head)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != (byte)' ')
        {
            return false;
        }

        var rest = line[9..];
        while (rest.Length > 0 && rest[0] == (byte)' ')
        {
            rest = rest[1..];
        }

        if (rest.Length < 3 || !char.IsAsciiDigit((char)rest[0]) || !char.IsAsciiDigit((char)rest[1]) || !char.IsAsciiDigit((char)rest[2])
            || (rest.Length > 3 && rest[3] != (byte)' ') || rest[0] == (byte)'0')
        {
            return false;
        }

        head.Version = line[7] == (byte)'0' ? 10 : 11;
        head.Status = ((rest[0] - '0') * 100) + ((rest[1] - '0') * 10) + (rest[2] - '0');
        head.Reason = rest.Length > 4 ? Encoding.Latin1.GetString(rest[4..]) : "";
        return true;
    }

    /// <summary>True when <paramref name="name"/> is an RFC 9110 token (what may be sent on to a client).</summary>
    public static bool IsToken(string name)
    {
        foreach (var c in name)
        {
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    /// <summary>One line without its CRLF/LF; false (nothing consumed) when the line is not complete.</summary>
    private static bool TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line)
    {
        if (!reader.TryReadTo(out ReadOnlySpan<byte> raw, (byte)'\n'))
        {
            line = default;
            return false;
        }

        line = raw.Length > 0 && raw[^1] == (byte)'\r' ? raw[..^1] : raw;
        return true;
    }
}
