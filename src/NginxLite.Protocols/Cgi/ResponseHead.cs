namespace NginxLite.Protocols.Cgi;

/// <summary>The head of an upstream response: status, the reason phrase the upstream gave (or null) and the header
/// lines in order, names as sent (repeated names such as Set-Cookie stay separate lines).</summary>
public sealed class ResponseHead
{
    public int Status { get; set; }

    public string? Reason { get; set; }

    /// <summary>True when the status came from a <c>Status:</c> header or an HTTP status line, not the default.</summary>
    public bool HasStatus { get; set; }

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public string? Get(string name)
    {
        foreach (var (n, v) in Headers)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }
}
