namespace NginxLite.Protocols.Http1;

/// <summary>An upstream's HTTP/1.x response head: version, status, reason and the header lines in the order sent.
/// Reused across responses (<see cref="Reset"/>); names and values are Latin-1 decoded, as the engine's headers are.</summary>
public sealed class HttpResponseHead
{
    /// <summary>10 for HTTP/1.0, 11 for HTTP/1.1 (any other minor version counts as 1.1, as in nginx).</summary>
    public int Version { get; internal set; }

    public int Status { get; internal set; }

    public string Reason { get; internal set; } = "";

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    /// <summary>Set once the head is complete: the body framing the headers ask for.</summary>
    public long ContentLength { get; internal set; } = -1;

    public bool Chunked { get; internal set; }

    /// <summary><c>Connection: close</c> was sent, or HTTP/1.0 without <c>keep-alive</c>.</summary>
    public bool ConnectionClose { get; internal set; }

    /// <summary>The first value of <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Get(string name)
    {
        foreach (var h in Headers)
        {
            if (h.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }

        return null;
    }

    public void Reset()
    {
        Version = 0;
        Status = 0;
        Reason = "";
        Headers.Clear();
        ContentLength = -1;
        Chunked = false;
        ConnectionClose = false;
    }
}

/// <summary>What a reader made of the bytes it was given.</summary>
public enum ReadStatus
{
    /// <summary>Not enough bytes yet: nothing was consumed past the last complete item; read more and call again.</summary>
    Incomplete,

    /// <summary>The item (head, or the whole body) is complete.</summary>
    Complete,

    /// <summary>The bytes break the protocol; see the reader's <c>Error</c>.</summary>
    Invalid,
}
