using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Upstreams;

/// <summary>
/// One compiled <c>upstream NAME { … }</c> block (ngx_http_upstream_module): its servers, the balancing method and the
/// keepalive cache size. Immutable; the run-time state (failures, connection counts, idle connections) lives in
/// NginxLite.Handlers' peer API, keyed by this object, so a reload starts with fresh state as nginx does.
/// </summary>
public sealed class UpstreamGroup(string name, UpstreamServer[] servers)
{
    public string Name { get; } = name;

    /// <summary>Primary and backup servers in file order (a <c>down</c> server stays in the list, never chosen).</summary>
    public UpstreamServer[] Servers { get; } = servers;

    public BalancerKind Balancer { get; init; } = BalancerKind.RoundRobin;

    /// <summary>The key of <c>hash KEY [consistent]</c>.</summary>
    public ComplexValue? HashKey { get; init; }

    public bool HashConsistent { get; init; }

    /// <summary><c>keepalive N</c>: idle connections kept per worker (0: none, every connection is closed).</summary>
    public int Keepalive { get; init; }

    /// <summary><c>keepalive_timeout</c> (60s): an idle connection older than this is closed, not reused.</summary>
    public TimeSpan KeepaliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>keepalive_requests</c> (1000): a connection is closed after this many requests.</summary>
    public int KeepaliveRequests { get; init; } = 1000;

    /// <summary>True for a group made from a literal address in a pass directive (nginx's implicit upstream).</summary>
    public bool Implicit { get; init; }
}

/// <summary>One <c>server ADDRESS [weight=N] [max_fails=N] [fail_timeout=T] [backup] [down] [max_conns=N]</c>; the
/// address is <c>host:port</c>, <c>[v6]:port</c> or <c>unix:/path</c>.</summary>
public sealed record UpstreamServer(string Address, int Weight = 1, int MaxFails = 1, TimeSpan FailTimeout = default,
    bool Backup = false, bool Down = false, int MaxConns = 0)
{
    /// <summary>nginx's default fail_timeout.</summary>
    public static readonly TimeSpan DefaultFailTimeout = TimeSpan.FromSeconds(10);
}

public enum BalancerKind : byte
{
    /// <summary>nginx's smooth weighted round robin (ngx_http_upstream_get_peer).</summary>
    RoundRobin,
    LeastConn,
    IpHash,
    Hash,
}
