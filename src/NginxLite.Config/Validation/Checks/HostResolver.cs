using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NginxLite.Config.Validation.Checks;

/// <summary>Resolves host names as nginx does at <c>-t</c> (IPv4 and IPv6), with a short timeout and a per-process cache.</summary>
internal static class HostResolver
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<string, IPAddress[]> Cache = new(StringComparer.OrdinalIgnoreCase);

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
