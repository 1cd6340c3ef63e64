using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.Routing.Variables;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// One request's walk over a <see cref="PeerGroup"/>: each <see cref="ConnectAsync"/> picks a peer not tried yet and
/// returns a connected socket (from the keepalive cache, else new); <see cref="Release"/> reports the outcome (passive
/// failure marking) and keeps a reusable socket; <see cref="CanRetry"/> applies <c>*_next_upstream_tries</c> and
/// <c>*_next_upstream_timeout</c>. Not thread-safe: one request uses it at a time.
/// </summary>
public sealed class PeerSelection
{
    private readonly PeerGroup _group;
    private readonly HashSet<int> _tried = [];
    private readonly IPAddress? _client;
    private readonly IRequestState? _state;
    private readonly int _tries;
    private readonly long _deadline;
    private readonly StringBuilder _addresses = new();
    private int _attempts;

    internal PeerSelection(PeerGroup group, IPAddress? client, IRequestState? state, int tries, TimeSpan timeout)
    {
        _group = group;
        _client = client;
        _state = state;
        _tries = tries > 0 && tries < group.Tries ? tries : group.Tries;
        _deadline = timeout > TimeSpan.Zero ? DateTime.UtcNow.Ticks + timeout.Ticks : long.MaxValue;
    }

    public PeerGroup Group => _group;

    /// <summary>
    /// Called when a failure of this request reaches the peer's max_fails, with nginx's phase ("while connecting to
    /// upstream", "while reading response header from upstream"): the handler logs nginx's
    /// <c>[warn] upstream server temporarily disabled</c> line with its request context.
    /// </summary>
    public Action<Peer, string>? Disabled { get; set; }

    /// <summary>Peers tried so far, comma-separated as in <c>$upstream_addr</c>.</summary>
    public string UpstreamAddr => _addresses.ToString();

    /// <summary>Attempts made (connects started).</summary>
    public int Attempts => _attempts;

    /// <summary>True when another peer may be tried: tries and timeout left (ngx_http_upstream_next). Whether a peer is
    /// left is only known by the next pick: none is nginx's "no live upstreams" (NGX_BUSY), which the caller logs and
    /// answers 502 even after earlier attempts.</summary>
    public bool CanRetry => _attempts < _tries && DateTime.UtcNow.Ticks < _deadline;

    /// <summary>
    /// Picks the next peer and connects to it within <paramref name="connectTimeout"/>. Returns null when no peer is
    /// available ("no live upstreams": the caller answers 502). Throws <see cref="UpstreamConnectException"/> when
    /// the connect fails: the failure is already counted and the peer released, so the caller logs it and either
    /// calls again (next_upstream error/timeout) or answers 502/504.
    /// </summary>
    public async ValueTask<UpstreamConnection?> ConnectAsync(TimeSpan connectTimeout, CancellationToken cancel)
    {
        var peer = _group.Pick(_tried, _client, _state, _attempts);
        if (peer is null)
        {
            return null;
        }

        _attempts++;
        if (_addresses.Length > 0)
        {
            _addresses.Append(", ");
        }

        _addresses.Append(peer.Name);
        if (_group.Pool.Take(peer) is { } idle)
        {
            return new UpstreamConnection(peer, idle.Socket, reused: true, idle.Requests, idle.Tls);
        }

        return await ConnectFreshAsync(peer, connectTimeout, cancel);
    }

    /// <summary>
    /// A cached connection failed before any response byte (the upstream closed it while idle): close it and connect
    /// anew to the same peer, as nginx retries a cached connection without counting a failure.
    /// </summary>
    public async ValueTask<UpstreamConnection> ReconnectAsync(UpstreamConnection stale, TimeSpan connectTimeout, CancellationToken cancel)
    {
        stale.Close();
        return await ConnectFreshAsync(stale.Peer, connectTimeout, cancel);
    }

    /// <summary>A new connection to <paramref name="peer"/>; a failure frees the peer (counted toward max_fails unless
    /// the client went away) and becomes nginx's "while connecting to upstream" error.</summary>
    private async ValueTask<UpstreamConnection> ConnectFreshAsync(Peer peer, TimeSpan connectTimeout, CancellationToken cancel)
    {
        try
        {
            peer.EndPoint ??= await UpstreamConnector.ResolveAsync(peer.Name, 80, cancel);
            var socket = await UpstreamConnector.ConnectAsync(peer.EndPoint, connectTimeout, cancel);
            return new UpstreamConnection(peer, socket, reused: false, 0);
        }
        catch (OperationCanceledException)
        {
            // The client went away while connecting: give the peer back (not a failure), or least_conn and max_conns
            // would count a connection that never was.
            _group.Free(peer, failed: false);
            throw;
        }
        catch (TimeoutException)
        {
            var disabled = _group.Free(peer, failed: true);
            throw new UpstreamConnectException(peer, "upstream timed out (110: Connection timed out) while connecting to upstream", timedOut: true)
            {
                PeerDisabled = disabled,
            };
        }
        catch (SocketException e)
        {
            var disabled = _group.Free(peer, failed: true);
            var to = peer.Name.StartsWith("unix:", StringComparison.Ordinal) ? " to " + peer.Name : "";
            throw new UpstreamConnectException(peer, $"connect(){to} failed ({UpstreamErrors.Errno(e)}) while connecting to upstream", timedOut: false)
            {
                PeerDisabled = disabled,
            };
        }
    }

    /// <summary>After the caller logged a connect failure: nginx's "temporarily disabled" warning, which follows the
    /// failure's [error] line in nginx's log, if this failure disabled the peer.</summary>
    public void ReportDisabled(UpstreamConnectException e)
    {
        if (e.PeerDisabled)
        {
            Disabled?.Invoke(e.Peer, UpstreamErrorPhase.Connecting);
        }
    }

    /// <summary>
    /// Ends the use of <paramref name="connection"/>: <paramref name="failed"/> counts toward the peer's max_fails (an
    /// error, a timeout, an invalid header, or a status listed in next_upstream); <paramref name="keepAlive"/> puts
    /// the socket in the group's keepalive cache (only when the whole response was read and the upstream allows it),
    /// otherwise it is closed.
    /// </summary>
    public void Release(UpstreamConnection connection, bool failed, bool keepAlive)
    {
        if (failed)
        {
            Free(connection.Peer, UpstreamErrorPhase.ReadingHeader);
        }
        else
        {
            _group.Free(connection.Peer, failed: false);
        }

        if (keepAlive && !failed && _group.Pool.Capacity > 0 && connection.Requests + 1 < _group.Config.KeepaliveRequests)
        {
            _group.Pool.Put(new UpstreamConnection(connection.Peer, connection.Socket, reused: true, connection.Requests + 1, connection.Tls));
            return;
        }

        try
        {
            connection.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        connection.Close();
    }

    private void Free(Peer peer, string phase)
    {
        if (_group.Free(peer, failed: true))
        {
            Disabled?.Invoke(peer, phase);
        }
    }
}
