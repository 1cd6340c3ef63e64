using System.Net.Security;
using System.Net.Sockets;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// A connected socket to one <see cref="Upstream.Peer"/>, new or taken from the group's keepalive cache
/// (<see cref="Reused"/>). Hand it back with <see cref="PeerSelection.Release"/> exactly once.
/// </summary>
public sealed class UpstreamConnection
{
    internal UpstreamConnection(Peer peer, Socket socket, bool reused, int requests, SslStream? tls = null)
    {
        Peer = peer;
        Socket = socket;
        Reused = reused;
        Requests = requests;
        Tls = tls;
    }

    public Peer Peer { get; }

    public Socket Socket { get; }

    /// <summary>True when the socket came from the keepalive cache: a failure before any response byte may be the
    /// upstream closing an idle connection, and nginx then retries on a new one without counting a failure.</summary>
    public bool Reused { get; }

    /// <summary>Requests sent on this socket before this one (for keepalive_requests).</summary>
    public int Requests { get; }

    /// <summary>The TLS session over <see cref="Socket"/> for an <c>https://</c> upstream (null for plain ones). A kept
    /// connection keeps it: the keepalive cache holds the TLS stream, not only the raw socket.</summary>
    public SslStream? Tls { get; private set; }

    internal long IdleSinceTicks { get; set; }

    /// <summary>Sets the TLS session once the handshake over <see cref="Socket"/> succeeded.</summary>
    public void AttachTls(SslStream tls) => Tls = tls;

    /// <summary>Closes the TLS session (if any) and the socket.</summary>
    public void Close()
    {
        Tls?.Dispose();
        Socket.Dispose();
    }
}
