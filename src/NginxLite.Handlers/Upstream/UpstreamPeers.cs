using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using NginxLite.Routing;
using NginxLite.Routing.Upstreams;
using NginxLite.Routing.Variables;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// The peer API every upstream handler (proxy_pass, fastcgi_pass, uwsgi_pass …) uses, one instance per server process
/// (<see cref="ContentHandlers.Peers"/>). Protocol-agnostic: it hands out connected sockets; the handler speaks its
/// protocol on them.
/// <code>
/// var group = handlers.Peers.Find(request.Table, "backend");          // upstream name, "host:port" or "unix:/path"
/// var peers = handlers.Peers.Start(group, request, tries: 0, timeout: TimeSpan.Zero); // next_upstream tries/timeout
/// while (true) {
///     UpstreamConnection? c;
///     try { c = await peers.ConnectAsync(connectTimeout, request.Aborted); }
///     catch (UpstreamConnectException e) { request.Log(ErrorLevel.Error, e.Message); if (peers.CanRetry) continue; return 502 or 504 (e.TimedOut); }
///     if (c is null) { log "no live upstreams while connecting to upstream"; return 502; }
///     … speak the protocol on c.Socket …
///     peers.Release(c, failed: false, keepAlive: responseFullyRead &amp;&amp; upstreamAllowsIt);
/// }
/// </code>
/// State (failures, weights, idle connections) is per compiled <see cref="UpstreamGroup"/>, so a reload that compiles a
/// new table starts afresh, as nginx's new workers do; idle connections of an old table are closed when collected.
/// </summary>
public sealed class UpstreamPeers
{
    private readonly ConditionalWeakTable<UpstreamGroup, PeerGroup> _groups = new();
    private readonly ConcurrentDictionary<string, PeerGroup> _implicit = new(StringComparer.Ordinal);

    /// <summary>The state of a compiled group.</summary>
    public PeerGroup Group(UpstreamGroup group) => _groups.GetValue(group, g => new PeerGroup(g));

    /// <summary>
    /// The group for <paramref name="address"/> as a pass directive names it: an <c>upstream</c> block of
    /// <paramref name="table"/> by name (a name without a port), else an implicit one-peer group for <c>host:port</c>,
    /// <c>host</c> (port <paramref name="defaultPort"/>) or <c>unix:/path</c> — kept across requests so failures and
    /// resolved addresses are remembered, as nginx's implicit upstreams are.
    /// </summary>
    public PeerGroup Find(RouteTable table, string address, int defaultPort = 80)
    {
        if (table.Upstreams.TryGetValue(address, out var configured))
        {
            return Group(configured);
        }

        var full = address.StartsWith("unix:", StringComparison.Ordinal) || address.LastIndexOf(':') > address.LastIndexOf(']')
            ? address
            : address + ":" + defaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_implicit.TryGetValue(full, out var group))
        {
            return group;
        }

        if (_implicit.Count > 10_000)
        {
            // Addresses built from variables could grow without bound.
            _implicit.Clear();
        }

        return _implicit.GetOrAdd(full, a => new PeerGroup(new UpstreamGroup(a, [new UpstreamServer(a, FailTimeout: UpstreamServer.DefaultFailTimeout)]) { Implicit = true }));
    }

    /// <summary>Starts one request's peer selection; <paramref name="tries"/> 0 = one try per peer; <paramref name="timeout"/>
    /// zero = no limit. <paramref name="client"/> feeds ip_hash, <paramref name="state"/> the <c>hash</c> key.</summary>
    public PeerSelection Start(PeerGroup group, IPAddress? client, IRequestState? state, int tries, TimeSpan timeout) =>
        new(group, client, state, tries, timeout);
}
