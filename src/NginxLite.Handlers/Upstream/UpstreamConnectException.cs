namespace NginxLite.Handlers.Upstream;

/// <summary>Connecting to a peer failed; <see cref="Exception.Message"/> is nginx's error-log text
/// (<c>connect() failed (111: Connection refused) while connecting to upstream</c>), <see cref="TimedOut"/> maps to 504.</summary>
public sealed class UpstreamConnectException(Peer peer, string message, bool timedOut) : Exception(message)
{
    public Peer Peer { get; } = peer;

    public bool TimedOut { get; } = timedOut;

    /// <summary>This failure reached the peer's max_fails: the caller logs nginx's <c>[warn] upstream server temporarily
    /// disabled while connecting to upstream</c> after the failure's own line (<see cref="PeerSelection.ReportDisabled"/>).</summary>
    public bool PeerDisabled { get; init; }
}
