using System.Net;
using NginxLite.Routing.Upstreams;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// The run-time state of one upstream server (ngx_http_upstream_rr_peer_t): weights for smooth round robin, active
/// connections for least_conn, and passive health — <c>max_fails</c> failures within <c>fail_timeout</c> make it
/// unavailable for <c>fail_timeout</c>. Mutated only under its <see cref="PeerGroup"/>'s lock.
/// </summary>
public sealed class Peer
{
    internal Peer(UpstreamServer server, int index)
    {
        Server = server;
        Index = index;
        EffectiveWeight = server.Weight;
    }

    public UpstreamServer Server { get; }

    /// <summary>The address as nginx prints it in <c>$upstream_addr</c> and error logs (<c>127.0.0.1:8080</c>, <c>unix:/run/app.sock</c>).</summary>
    public string Name => Server.Address;

    internal int Index { get; }

    internal int CurrentWeight { get; set; }

    internal int EffectiveWeight { get; set; }

    /// <summary>Requests in flight on this peer (least_conn, max_conns).</summary>
    public int Connections { get; internal set; }

    public int Fails { get; internal set; }

    internal long AccessedTicks { get; set; }

    internal long CheckedTicks { get; set; }

    internal EndPoint? EndPoint { get; set; }

    /// <summary>nginx's availability test: not down, not over max_conns, not failed max_fails times within fail_timeout.</summary>
    internal bool IsAvailable(long now)
    {
        if (Server.Down || (Server.MaxConns > 0 && Connections >= Server.MaxConns))
        {
            return false;
        }

        return Server.MaxFails == 0 || Fails < Server.MaxFails || now - CheckedTicks > Server.FailTimeout.Ticks;
    }
}
