using System.Globalization;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing.Servers;

namespace NginxLite.Server.Hosting;

/// <summary>Which listen sockets the server, once <c>user</c> dropped it, cannot bind itself and asks the root helper
/// for: a TCP port below <c>net.ipv4.ip_unprivileged_port_start</c> (1024 unless changed; ip(7)), or a Unix socket in
/// a directory it cannot write.</summary>
internal static class PrivilegedListen
{
    private static readonly Lazy<int> UnprivilegedPortStart = new(ReadUnprivilegedPortStart);

    public static bool NeedsHelper(ListenAddress address, PrivilegedHelper? helper)
    {
        if (helper is not { IsAlive: true } || UnixAccount.EffectiveUid == 0)
        {
            return false;
        }

        if (address.IsUnix)
        {
            var dir = Path.GetDirectoryName(address.UnixPath!);
            return !string.IsNullOrEmpty(dir) && !ProcessCredentials.CanCreateIn(dir);
        }

        return address.IP!.Port < UnprivilegedPortStart.Value;
    }

    private static int ReadUnprivilegedPortStart()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 1024;
        }
    }
}
