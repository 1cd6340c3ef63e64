using System.Net.Sockets;
namespace NginxLite.Handlers.Posix;

/// <summary>
/// The file of a <c>listen unix:</c> socket: a stale one (left by a crash: nobody accepts on it) is replaced, a live
/// one is "address already in use"; once bound it gets <c>chmod_socket</c>'s mode and <c>chown_socket</c>'s owner
/// (what seed/socket-perms.sh does by hand); it is removed on exit. Used by <c>listen unix:</c> listeners and by app
/// pools' public sockets (uWSGI's chmod-socket/chown-socket).
/// </summary>
public static class UnixSocketFile
{
    /// <summary>Before bind: removes a stale socket file, throws <see cref="IOException"/> for a live one.</summary>
    public static void PrepareBind(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return;
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"bind() to unix:{path} failed (98: Address already in use)");
            }
            catch (SocketException)
            {
                // ECONNREFUSED: nobody listens, the file is stale.
            }
        }

        File.Delete(path);
    }

    /// <summary>After bind: the mode (octal, e.g. "660") and owner ("user[:group]") the configuration asks for; null
    /// leaves either as it is. Throws <see cref="IOException"/> naming what failed.</summary>
    public static void ApplyPermissions(string path, string? socketMode, string? socketOwner)
    {
        if (socketMode is { } mode && !OperatingSystem.IsWindows())
        {
            if (mode.Length is < 3 or > 4 || mode.Any(c => c is < '0' or > '7'))
            {
                throw new IOException($"invalid chmod_socket mode \"{mode}\"");
            }

            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
        }

        if (socketOwner is { } owner)
        {
            var colon = owner.IndexOf(':', StringComparison.Ordinal);
            var user = colon < 0 ? owner : owner[..colon];
            var group = colon < 0 ? null : owner[(colon + 1)..];
            var account = UnixAccount.TryResolve(user, group, out var error) ?? throw new IOException($"chown_socket: {error}");
            if (ProcessCredentials.chown(path, account.Uid, account.Gid) != 0)
            {
                throw new IOException($"chown(\"{path}\", {account.Uid}, {account.Gid}) failed ({ProcessCredentials.Errno()})");
            }
        }
    }
}
