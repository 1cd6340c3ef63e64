using System.Collections.Concurrent;

namespace NginxLite.Server.Hosting;

/// <summary>
/// Per-server, per-upstream and per-app-pool <see cref="TrafficCounters"/> for <c>nginxlite_status json;</c>, kept
/// for the life of the process (across reloads, like <see cref="ConnectionStats"/>). Servers are keyed by their first
/// <c>server_name</c> (<c>""</c> when none), upstreams by the target of the pass directive that served the request
/// (<c>http://backend</c>, <c>unix:/run/php-fpm.sock</c>), app pools by <c>app_pass</c>'s NAME.
/// </summary>
public sealed class TrafficStats
{
    private readonly ConcurrentDictionary<string, TrafficCounters> _servers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TrafficCounters> _upstreams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TrafficCounters> _apps = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, TrafficCounters>> Servers => _servers.OrderBy(p => p.Key, StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, TrafficCounters>> Upstreams => _upstreams.OrderBy(p => p.Key, StringComparer.Ordinal);

    /// <summary>The app pool's counters (created on first use: a pool with no request yet has none).</summary>
    public TrafficCounters? App(string name) => _apps.GetValueOrDefault(name);

    /// <summary>One request ended: <paramref name="upstream"/> is the pass target (null: none), which names an app
    /// pool when <paramref name="isApp"/>.</summary>
    internal void Record(string server, string? upstream, bool isApp, int status, TimeSpan elapsed)
    {
        _servers.GetOrAdd(server, static _ => new TrafficCounters()).Record(status, elapsed);
        if (upstream is not null)
        {
            (isApp ? _apps : _upstreams).GetOrAdd(upstream, static _ => new TrafficCounters()).Record(status, elapsed);
        }
    }
}
