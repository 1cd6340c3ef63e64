using System.Text;

namespace NginxLite.Interop.Tests.Failover;

/// <summary>
/// Issue 8 item 5, "beyond one machine": <c>count</c> hosts made with <c>ip netns</c> + veth, torn down whole on
/// <see cref="Dispose"/> (also when the constructor fails half-way). The issue asks for loopback-only addresses inside
/// the namespaces; the kernel does not route 127.0.0.0/8 between namespaces (it is martian on any device but lo), so
/// each host gets a private /24 (10.231.X.0/24, X chosen free at random) that exists only on this lab's veth pair:
/// a link-scope route, no forwarding, no default route in the namespace, gone when the pair is deleted.
/// <see cref="Cut"/> sets the namespace end of the pair down: the root end keeps its address and route, so packets
/// to the host are sent and silently lost — a connect times out, as when a real host vanishes (no RST, no ICMP).
/// </summary>
internal sealed class NetnsLab : IDisposable
{
    private static int _labs;
    private readonly List<NetnsHost> _hosts = [];

    public NetnsLab(int count)
    {
        var tag = $"nlx{Environment.ProcessId % 100000}{Interlocked.Increment(ref _labs) % 10}";
        var used = IpCommand.Output("-o", "addr");
        var octets = Enumerable.Range(16, 224).Where(x => !used.Contains($" 10.231.{x}.", StringComparison.Ordinal))
            .OrderBy(_ => Random.Shared.Next()).Take(count).ToList();
        if (octets.Count < count)
        {
            throw new InvalidOperationException("no free 10.231.X.0/24 for the lab");
        }

        try
        {
            for (var i = 0; i < count; i++)
            {
                var host = new NetnsHost($"{tag}-{i}", $"{tag}r{i}", $"{tag}h{i}", $"10.231.{octets[i]}.2", $"10.231.{octets[i]}.1");
                IpCommand.Run("netns", "add", host.Namespace);
                _hosts.Add(host);
                IpCommand.Run("link", "add", host.RootLink, "type", "veth", "peer", "name", host.HostLink);
                IpCommand.Run("link", "set", host.HostLink, "netns", host.Namespace);
                IpCommand.Run("addr", "add", host.Gateway + "/24", "dev", host.RootLink);
                IpCommand.Run("link", "set", host.RootLink, "up");
                InNamespace(host, "addr", "add", host.Address + "/24", "dev", host.HostLink);
                InNamespace(host, "link", "set", host.HostLink, "up");
                InNamespace(host, "link", "set", "lo", "up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<NetnsHost> Hosts => _hosts;

    /// <summary>Problems met while tearing down (reported by the test, never thrown from Dispose).</summary>
    public string CleanupErrors { get; private set; } = "";

    /// <summary>The host vanishes: its end of the link goes down, packets to it are lost (connect timeout).</summary>
    public void Cut(NetnsHost host) => InNamespace(host, "link", "set", host.HostLink, "down");

    /// <summary>The host comes back.</summary>
    public void Restore(NetnsHost host) => InNamespace(host, "link", "set", host.HostLink, "up");

    public void Dispose()
    {
        var errors = new StringBuilder();
        foreach (var host in _hosts)
        {
            // Deleting the root end deletes the pair; deleting the namespace deletes what is left in it.
            var (code, error) = IpCommand.TryRun("link", "del", host.RootLink);
            if (code != 0 && !error.Contains("Cannot find device", StringComparison.Ordinal))
            {
                errors.AppendLine($"ip link del {host.RootLink}: {error}");
            }

            (code, error) = IpCommand.TryRun("netns", "del", host.Namespace);
            if (code != 0)
            {
                errors.AppendLine($"ip netns del {host.Namespace}: {error}");
            }
        }

        _hosts.Clear();
        CleanupErrors = errors.ToString();
    }

    private static void InNamespace(NetnsHost host, params string[] args) => IpCommand.Run(["-n", host.Namespace, .. args]);
}
