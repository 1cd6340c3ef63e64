using System.Net;
using System.Text;
using NginxLite.Routing.Upstreams;
using NginxLite.Routing.Variables;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// The run-time side of one <see cref="UpstreamGroup"/>: its peers (primary, then backup), the balancer and the
/// keepalive cache. Selection follows ngx_http_upstream_round_robin.c and the least_conn/ip_hash/hash modules:
/// smooth weighted round robin over available peers not yet tried by the request, backup peers only when no primary
/// is available, and a single-peer group never marked failed (nginx's <c>peers->single</c>).
/// </summary>
public sealed class PeerGroup
{
    private readonly object _lock = new();
    private readonly Peer[] _primary;
    private readonly Peer[] _backup;
    private (uint Hash, Peer Peer)[]? _ring;

    internal PeerGroup(UpstreamGroup config)
    {
        Config = config;
        var index = 0;
        _primary = config.Servers.Where(s => !s.Backup).Select(s => new Peer(s, index++)).ToArray();
        _backup = config.Servers.Where(s => s.Backup).Select(s => new Peer(s, index++)).ToArray();
        Pool = new KeepalivePool(config.Keepalive, config.KeepaliveTimeout);
        Tries = config.Servers.Count(s => !s.Down);
        if (config.Balancer == BalancerKind.Hash && config.HashConsistent)
        {
            _ring = BuildRing(_primary);
        }
    }

    public UpstreamGroup Config { get; }

    /// <summary>Every peer, primary first.</summary>
    public IReadOnlyList<Peer> Peers => [.. _primary, .. _backup];

    /// <summary>
    /// Tries one request may make (nginx 1.22's ngx_http_upstream_tries: peers->tries + backup->tries, which count
    /// only servers not marked <c>down</c>); <c>*_next_upstream_tries</c> can only lower it
    /// (ngx_http_upstream_init_request). So a group of one live and one <c>down</c> server is tried once, and
    /// <c>proxy_next_upstream_tries 5</c> over two servers still stops after two.
    /// </summary>
    public int Tries { get; }

    internal KeepalivePool Pool { get; }

    private bool Single => _primary.Length == 1 && _backup.Length == 0;

    /// <summary>Picks the next peer for a request (null: "no live upstreams") and counts it as connected.</summary>
    internal Peer? Pick(HashSet<int> tried, IPAddress? client, IRequestState? state, int attempt)
    {
        lock (_lock)
        {
            var now = DateTime.UtcNow.Ticks;
            Peer? peer;
            if (Single)
            {
                peer = _primary[0].Server.Down || tried.Contains(0) ? null : _primary[0];
            }
            else
            {
                peer = Config.Balancer switch
                {
                    BalancerKind.IpHash when client is not null => PickByHash(IpHash(client), tried, now),
                    BalancerKind.Hash when state is not null && Config.HashKey is { } key => Config.HashConsistent
                        ? PickConsistent(Crc32.Compute(Encoding.UTF8.GetBytes(key.Evaluate(state))), tried, now, attempt)
                        : PickByHash(HashKey(key.Evaluate(state), attempt), tried, now),
                    BalancerKind.LeastConn => PickLeastConn(_primary, tried, now),
                    _ => PickRoundRobin(_primary, tried, now),
                };
                peer ??= Config.Balancer == BalancerKind.LeastConn ? PickLeastConn(_backup, tried, now) : PickRoundRobin(_backup, tried, now);
            }

            if (peer is not null)
            {
                tried.Add(peer.Index);
                peer.Connections++;
                if (now - peer.CheckedTicks > peer.Server.FailTimeout.Ticks)
                {
                    peer.CheckedTicks = now;
                }
            }

            return peer;
        }
    }

    /// <summary>
    /// The request is done with <paramref name="peer"/>: failures count toward max_fails
    /// (ngx_http_upstream_free_round_robin_peer). True when this failure reached max_fails, which nginx logs as
    /// <c>[warn] upstream server temporarily disabled</c>.
    /// </summary>
    internal bool Free(Peer peer, bool failed)
    {
        lock (_lock)
        {
            peer.Connections--;
            if (Single)
            {
                return false;
            }

            var now = DateTime.UtcNow.Ticks;
            if (failed)
            {
                peer.Fails++;
                peer.AccessedTicks = now;
                peer.CheckedTicks = now;
                if (peer.Server.MaxFails > 0)
                {
                    // Integer division as ngx_http_upstream_free_round_robin_peer: weight 1 with max_fails 3 loses
                    // nothing, so the failed peer keeps its turn in the smooth round robin until it is marked failed.
                    peer.EffectiveWeight -= peer.Server.Weight / peer.Server.MaxFails;
                    if (peer.EffectiveWeight < 0)
                    {
                        peer.EffectiveWeight = 0;
                    }

                    return peer.Fails >= peer.Server.MaxFails;
                }
            }
            else if (peer.AccessedTicks < peer.CheckedTicks)
            {
                peer.Fails = 0;
            }

            return false;
        }
    }

    // ngx_http_upstream_get_peer: every available peer gains its effective weight; the best is chosen and loses the total.
    private static Peer? PickRoundRobin(Peer[] peers, HashSet<int> tried, long now)
    {
        Peer? best = null;
        var total = 0;
        foreach (var peer in peers)
        {
            if (tried.Contains(peer.Index) || !peer.IsAvailable(now))
            {
                continue;
            }

            peer.CurrentWeight += peer.EffectiveWeight;
            total += peer.EffectiveWeight;
            if (peer.EffectiveWeight < peer.Server.Weight)
            {
                peer.EffectiveWeight++;
            }

            if (best is null || peer.CurrentWeight > best.CurrentWeight)
            {
                best = peer;
            }
        }

        if (best is not null)
        {
            best.CurrentWeight -= total;
        }

        return best;
    }

    // ngx_http_upstream_get_least_conn_peer: fewest connections per weight; ties go to weighted round robin.
    private static Peer? PickLeastConn(Peer[] peers, HashSet<int> tried, long now)
    {
        Peer? best = null;
        var ties = new List<Peer>();
        foreach (var peer in peers)
        {
            if (tried.Contains(peer.Index) || !peer.IsAvailable(now))
            {
                continue;
            }

            if (best is null || (long)peer.Connections * best.Server.Weight < (long)best.Connections * peer.Server.Weight)
            {
                best = peer;
                ties.Clear();
                ties.Add(peer);
            }
            else if ((long)peer.Connections * best.Server.Weight == (long)best.Connections * peer.Server.Weight)
            {
                ties.Add(peer);
            }
        }

        return ties.Count <= 1 ? best : PickRoundRobin([.. ties], tried, now);
    }

    // ngx_http_upstream_get_ip_hash_peer: the first three octets of IPv4 (all 16 bytes of IPv6).
    private static uint IpHash(IPAddress client)
    {
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        var bytes = client.GetAddressBytes();
        var length = bytes.Length == 4 ? 3 : bytes.Length;
        uint hash = 89;
        for (var i = 0; i < length; i++)
        {
            hash = ((hash * 113) + bytes[i]) % 6271;
        }

        return hash;
    }

    private static uint HashKey(string key, int attempt)
    {
        // nginx rehashes a failed pick with the attempt number prefixed to the key.
        var text = attempt == 0 ? key : attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) + key;
        var crc = Crc32.Compute(Encoding.UTF8.GetBytes(text));
        return (crc >> 16) & 0x7fff;
    }

    // Weighted walk from hash % total weight; up to 20 rehashes, then round robin (as nginx falls back).
    private Peer? PickByHash(uint hash, HashSet<int> tried, long now)
    {
        var total = _primary.Sum(p => p.Server.Weight);
        if (total == 0)
        {
            return null;
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            var w = (int)(hash % (uint)total);
            var peer = _primary[0];
            foreach (var p in _primary)
            {
                if (w < p.Server.Weight)
                {
                    peer = p;
                    break;
                }

                w -= p.Server.Weight;
            }

            if (!tried.Contains(peer.Index) && peer.IsAvailable(now))
            {
                return peer;
            }

            hash = (hash * 113) + 6271;
        }

        return PickRoundRobin(_primary, tried, now);
    }

    // ketama as ngx_http_upstream_init_chash: 160 points per unit of weight, crc32(host "\0" port, previous point).
    private static (uint, Peer)[] BuildRing(Peer[] peers)
    {
        var points = new List<(uint, Peer)>();
        foreach (var peer in peers)
        {
            var address = peer.Server.Address;
            var colon = address.StartsWith("unix:", StringComparison.Ordinal) ? -1 : address.LastIndexOf(':');
            var host = colon < 0 ? address : address[..colon];
            var port = colon < 0 ? "" : address[(colon + 1)..];
            var baseHash = Crc32.Update(0xffffffff, Encoding.ASCII.GetBytes(host));
            baseHash = Crc32.Update(baseHash, [0]);
            baseHash = Crc32.Update(baseHash, Encoding.ASCII.GetBytes(port));
            uint prev = 0;
            for (var j = 0; j < peer.Server.Weight * 160; j++)
            {
                var hash = Crc32.Update(baseHash, BitConverter.GetBytes(prev)) ^ 0xffffffff;
                points.Add((hash, peer));
                prev = hash;
            }
        }

        points.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return [.. points];
    }

    private Peer? PickConsistent(uint hash, HashSet<int> tried, long now, int attempt)
    {
        var ring = _ring!;
        if (ring.Length == 0)
        {
            return null;
        }

        var lo = 0;
        var hi = ring.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (ring[mid].Hash < hash)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        for (var i = 0; i < ring.Length; i++)
        {
            var peer = ring[(lo + attempt + i) % ring.Length].Peer;
            if (!tried.Contains(peer.Index) && peer.IsAvailable(now))
            {
                return peer;
            }
        }

        return null;
    }
}
