namespace NginxLite.Server.Http;

/// <summary>What the dispatcher decided to send.</summary>
internal enum OutcomeKind
{
    /// <summary>Status with nginx's page (or no body when there is none).</summary>
    Status,
    Text,
    File,

    /// <summary>An autoindex listing (the bytes are in the request context).</summary>
    Listing,
    Redirect,
    Close,
    Restart,

    /// <summary>A pass directive's content handler produces the response (asynchronously, with network I/O).</summary>
    Upstream,
}

internal readonly record struct Outcome(OutcomeKind Kind, int Status, string? Text = null, FileInfo? File = null)
{
    public static readonly Outcome Restart = new(OutcomeKind.Restart, 0);

    public static readonly Outcome Upstream = new(OutcomeKind.Upstream, 0);
}
