using System.Text;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// One row of the differential table: a request sent byte for byte to both servers.
/// In <see cref="Target"/>, header values and <see cref="Host"/>, <c>{port}</c> becomes the port of the server
/// being asked, and <c>{etag}</c> / <c>{last-modified}</c> become what the reference server (nginx) returned for
/// <see cref="ValidatorsOf"/>.
/// </summary>
public sealed record HttpRequestCase(
    string Name,
    string Method,
    string Target,
    string? Host = "localhost",
    string Version = "HTTP/1.1",
    IReadOnlyList<string>? Headers = null,
    string? Body = null,
    string? ValidatorsOf = null)
{
    public bool IsHead => Method == "HEAD";

    public byte[] Render(int port, string? etag, string? lastModified)
    {
        string Fill(string s) => s.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{etag}", etag ?? "\"no-etag\"", StringComparison.Ordinal)
            .Replace("{last-modified}", lastModified ?? "Thu, 01 Jan 1970 00:00:00 GMT", StringComparison.Ordinal);

        var sb = new StringBuilder();
        sb.Append(Method).Append(' ').Append(Fill(Target));
        if (Version.Length > 0)
        {
            sb.Append(' ').Append(Version);
        }

        sb.Append("\r\n");
        if (Host is not null)
        {
            sb.Append("Host: ").Append(Fill(Host)).Append("\r\n");
        }

        foreach (var h in Headers ?? [])
        {
            sb.Append(Fill(h)).Append("\r\n");
        }

        sb.Append("Connection: close\r\n");
        if (Body is not null && !(Headers ?? []).Any(h => h.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)))
        {
            sb.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(Body)).Append("\r\n");
        }

        sb.Append("\r\n");
        if (Body is not null)
        {
            sb.Append(Body);
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public override string ToString() => Name;
}
