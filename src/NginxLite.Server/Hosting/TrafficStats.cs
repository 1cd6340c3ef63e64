using System.Collections.Concurrent;

namespace NginxLite.Server.Hosting;

/// <summary>
/// Per-server and per-upstream <see cref="TrafficCounters"/> for <c>nginxlite_status json;</c>, kept for the life of
/// the process (across reloads, like <see cref="ConnectionStats"/>). Servers are keyed by their first
/// <c>server_name</c> (<c>""</c> when none), upstreams by the target of the pass directive that served the request
/// (<c>http://backend</c>, <c>unix:/run/php-fpm.sock</c>).
/// </summary>
public sealed class TrafficStats
{
    private readonly ConcurrentDictionary<string, TrafficCounters> _servers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TrafficCounters> _upstreams = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, TrafficCounters>> Servers => _servers.OrderBy(p => p.Key, StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, TrafficCounters>> Upstreams => _upstreams.OrderBy(p => p.Key, StringComparer.Ordinal);

    internal void Record(string server, string? upstream, int status, TimeSpan elapsed)
    {
        _servers.GetOrAdd(server, static _ => new TrafficCounters()).Record(status, elapsed);
        if (upstream is not null)
        {
            _upstreams.GetOrAdd(upstream, static _ => new TrafficCounters()).Record(status, elapsed);
        }
    }
}
