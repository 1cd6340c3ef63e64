namespace NginxLite.Protocols.Cgi;

/// <summary>
/// The header block of a CGI response (RFC 3875 §6.2–6.3) as the script wrote it: the three CGI fields read apart
/// (<c>Status</c>, <c>Content-Type</c>, <c>Location</c>) and every other field kept in order for the client.
/// For an NPH script (§5) <see cref="NphStatusLine"/> holds its own status line.
/// </summary>
public sealed class CgiResponseHead
{
    /// <summary>From <c>Status: 404 Not Found</c>, or null when the script sent none.</summary>
    public int? Status { get; internal set; }

    /// <summary>The reason phrase after the status code, or null.</summary>
    public string? Reason { get; internal set; }

    public string? ContentType { get; internal set; }

    public string? Location { get; internal set; }

    /// <summary>True when the response started with an HTTP status line (non-parsed headers).</summary>
    public bool NphStatusLine { get; internal set; }

    /// <summary>The other header fields, names as written.</summary>
    public List<KeyValuePair<string, string>> Fields { get; } = [];

    /// <summary>True once the empty line that ends the header block was read.</summary>
    public bool IsComplete { get; internal set; }

    /// <summary>Bytes of header text consumed so far (to bound the header block).</summary>
    public long HeaderBytes { get; internal set; }

    /// <summary>RFC 3875 §6.2.2: a local redirect is a <c>Location</c> path with no <c>Status</c> (and no body the
    /// script means to send).</summary>
    public bool IsLocalRedirect => Location is ['/', ..] && Status is null;
}
