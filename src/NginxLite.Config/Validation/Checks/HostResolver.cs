using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NginxLite.Config.Validation.Checks;

/// <summary>Resolves host names as nginx does at <c>-t</c> (IPv4 and IPv6), with a short timeout and a per-process cache.</summary>
internal static class HostResolver
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<string, IPAddress[]> Cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Set while checking with <c>CheckEnvironment = false</c>: names are not looked up but stand for a stable
    /// made-up address (240.0.0.0/4, never routed), so the same name still collides with itself in listen checks.
    /// </summary>
    [ThreadStatic]
    internal static bool Offline;

    /// <summary>Static name → address entries (<see cref="Binding.BindOptions.Hosts"/>) for the current check run.</summary>
    [ThreadStatic]
    internal static IReadOnlyDictionary<string, string>? Hosts;

    /// <summary>The addresses of <paramref name="host"/>, empty when it does not resolve ("host not found").</summary>
    public static IPAddress[] Resolve(string host)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        // RFC 6761: names under .invalid never resolve.
        if (host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase) || host.Length == 0)
        {
            return [];
        }

        if (Hosts is not null && Hosts.TryGetValue(host, out var entry) && IPAddress.TryParse(entry, out var fixedAddress))
        {
            return [fixedAddress];
        }

        if (Offline)
        {
            var hash = (uint)StringComparer.OrdinalIgnoreCase.GetHashCode(host);
            return [new IPAddress([(byte)(240 | (hash >> 28)), (byte)(hash >> 16), (byte)(hash >> 8), (byte)hash])];
        }

        return Cache.GetOrAdd(host, static h =>
        {
            try
            {
                var task = Dns.GetHostAddressesAsync(h);
                return task.Wait(Timeout)
                    ? [.. task.Result.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)]
                    : [];
            }
            catch (AggregateException)
            {
                return [];
            }
        });
    }
}
