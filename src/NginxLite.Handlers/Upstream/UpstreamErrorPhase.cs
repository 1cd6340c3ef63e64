namespace NginxLite.Handlers.Upstream;

/// <summary>nginx's error-log phases for upstream failures (the "while …" part, from u->peer.log's action).</summary>
public static class UpstreamErrorPhase
{
    public const string Connecting = "while connecting to upstream";

    public const string ReadingHeader = "while reading response header from upstream";

    /// <summary>ngx_http_upstream_free_round_robin_peer's [warn] when a failure reaches max_fails.</summary>
    public const string TemporarilyDisabled = "upstream server temporarily disabled";
}
