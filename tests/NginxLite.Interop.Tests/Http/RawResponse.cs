using System.Security.Cryptography;
using System.Text;

namespace NginxLite.Interop.Tests.Http;

/// <summary>
/// A parsed HTTP/1.x response as it came off the wire. <see cref="Status"/> is 0 when the server closed the
/// connection without a response (then <see cref="Error"/> says what happened).
/// </summary>
public sealed record RawResponse(int Status, string StatusLine, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string? Error)
{
    public static RawResponse Failed(string error, byte[] received) =>
        new(0, "", [], received, error);

    /// <summary>The first value of a header (case-insensitive name), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>A readable dump for failure messages: status line, headers, and the body (escaped, truncated).</summary>
    public string Dump(int maxBody = 400)
    {
        var sb = new StringBuilder();
        if (Status == 0)
        {
            sb.Append("    (no response: ").Append(Error).Append(")\n");
        }
        else
        {
            sb.Append("    ").Append(StatusLine).Append('\n');
            foreach (var (k, v) in Headers)
            {
                sb.Append("    ").Append(k).Append(": ").Append(v).Append('\n');
            }
        }

        sb.Append("    body: ").Append(Body.Length).Append(" bytes");
        if (Body.Length > 0)
        {
            sb.Append(", sha256 ").Append(Convert.ToHexStringLower(SHA256.HashData(Body))[..16]).Append('\n');
            sb.Append("    ").Append(Escape(Body, maxBody));
        }

        return sb.ToString();
    }

    /// <summary>Bytes as text with control characters and invalid UTF-8 escaped, at most <paramref name="max"/> bytes.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int max)
    {
        var text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, max)]);
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' or '\u007f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return bytes.Length > max ? sb + $"…(+{bytes.Length - max} bytes)" : sb.ToString();
    }
}
