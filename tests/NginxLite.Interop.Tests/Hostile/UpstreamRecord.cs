using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// What a capture upstream received on one connection, parsed strictly: exactly one request (an HTTP/1.x head and the
/// body its Content-Length or chunked framing declares, or one uwsgi packet and CONTENT_LENGTH body bytes) and nothing
/// after it. Anything else is ambiguous: bytes an upstream could read as a second, smuggled request.
/// </summary>
public static class UpstreamRecord
{
    /// <summary>Null when <paramref name="bytes"/> is one unambiguous request, else what is wrong.</summary>
    public static string? Problem(byte[] bytes, bool uwsgi)
    {
        var text = Encoding.Latin1.GetString(bytes);
        return uwsgi ? UwsgiProblem(bytes) : HttpProblem(text);
    }

    private static string? HttpProblem(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return "no complete request head";
        }

        var head = text[..end];
        var lines = head.Split("\r\n");
        var cl = lines.Skip(1).Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).ToList();
        var te = lines.Skip(1).Where(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)).ToList();
        if (cl.Count > 1 || te.Count > 1 || (cl.Count == 1 && te.Count == 1))
        {
            return "ambiguous framing headers forwarded: " + string.Join(" | ", cl.Concat(te));
        }

        if (lines.Skip(1).Any(l => l.Length == 0 || l[0] is ' ' or '\t' || !l.Contains(':', StringComparison.Ordinal) || l.Contains('\0', StringComparison.Ordinal)))
        {
            return "a malformed header line was forwarded";
        }

        var body = text[(end + 4)..];
        int length;
        if (te.Count == 1)
        {
            length = ChunkedLength(body) ?? -1;
            if (length < 0)
            {
                return "chunked body forwarded unterminated or malformed";
            }
        }
        else
        {
            length = cl.Count == 1 ? int.Parse(cl[0]["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture) : 0;
        }

        return body.Length == length ? null : $"{body.Length - length} bytes after the request's declared end";
    }

    private static int? ChunkedLength(string body)
    {
        var at = 0;
        while (true)
        {
            var nl = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (nl < 0 || !int.TryParse(body[at..nl].Split(';')[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
            {
                return null;
            }

            at = nl + 2 + size;
            if (size == 0)
            {
                var trailerEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                return trailerEnd < 0 ? null : trailerEnd + 2;
            }

            if (at + 2 > body.Length || body.Substring(at, 2) != "\r\n")
            {
                return null;
            }

            at += 2;
        }
    }

    private static string? UwsgiProblem(byte[] bytes)
    {
        if (bytes.Length < 4)
        {
            return "no complete uwsgi header";
        }

        var size = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(1));
        if (bytes.Length < 4 + size)
        {
            return "truncated uwsgi packet";
        }

        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 4;
        while (at < 4 + size)
        {
            var k = Read(bytes, ref at);
            var v = Read(bytes, ref at);
            vars[k] = v;
        }

        var length = int.TryParse(vars.GetValueOrDefault("CONTENT_LENGTH", "0"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        var body = bytes.Length - 4 - size;
        return body == Math.Max(length, 0) ? null : $"{body} body bytes for CONTENT_LENGTH \"{vars.GetValueOrDefault("CONTENT_LENGTH")}\"";
    }

    private static string Read(byte[] bytes, ref int at)
    {
        var n = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));
        var s = Encoding.Latin1.GetString(bytes, at + 2, n);
        at += 2 + n;
        return s;
    }
}
