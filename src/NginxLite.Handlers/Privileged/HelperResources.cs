using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// What the helper opens for the dropped server and passes back as an fd (docs/cgi.md, "Privileged helper"): a
/// listening socket for a reload's new port below 1024 (nginx's root master binds it), a log file in a directory only
/// root may enter for USR1 (nginx's master reopens the logs, ngx_reopen_files), and an app pool's run directory given
/// to the pool's account. Each only when the configuration names it; each checked on the fd, not the path.
/// </summary>
internal static class HelperResources
{
    private const int Backlog = 511; // nginx's default listen backlog on Linux (NGX_LISTEN_BACKLOG)
    private const uint NewLogMode = 0x1A4; // 0644: NGX_FILE_DEFAULT_ACCESS
    private const int PrivateDirectory = 0x1C0; // 0700
    private const int SearchableDirectory = 0x1C9; // 0711: the server may reach the sockets in it, not list it

    public static void Bind(PrivilegedHelperLoop loop, uint id, string address)
    {
        if (loop.Policy.Listen(address) is not { } grant)
        {
            loop.Refuse(id, $"bind \"{address}\"", $"\"{address}\" is not a listen address of the configuration");
            return;
        }

        var fd = -1;
        try
        {
            var a = grant.Address;
            if (a.IsUnix)
            {
                UnixSocketFile.PrepareBind(a.UnixPath!);
                fd = LibC.ListenUnix(a.UnixPath!, Backlog);
                UnixSocketFile.ApplyPermissions(a.UnixPath!, grant.Grants.SocketMode, grant.Grants.SocketOwner);
                loop.ReplyFd(id, fd);
            }
            else
            {
                // Kestrel's own way of binding an IP endpoint (SO_REUSEADDR, [::] dual mode), so a passed socket
                // behaves as one Kestrel bound itself.
                using var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(a.IP!);
                socket.Listen(Backlog);
                loop.ReplyFd(id, (int)socket.SafeHandle.DangerousGetHandle());
            }
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException or Win32Exception)
        {
            var reason = e is Win32Exception w ? $"{w.NativeErrorCode}: {w.Message}" : e.Message;
            loop.ReplyFailed(id, reason.StartsWith("bind() to ", StringComparison.Ordinal) ? reason : $"bind() to {address} failed ({reason})");
        }
        finally
        {
            if (fd >= 0)
            {
                LibC.close(fd); // the server holds its own copy now; the socket file stays
            }
        }
    }

    public static void OpenLog(PrivilegedHelperLoop loop, uint id, string path)
    {
        if (!loop.Policy.AllowsLog(path))
        {
            loop.Refuse(id, $"open \"{path}\"", $"\"{path}\" is not a log file of the configuration");
            return;
        }

        // O_NOFOLLOW: a symlink planted where the log was renamed away is not followed; O_EXCL first, to know whether
        // the file is new (only a new file is given to the server's user, as ngx_reopen_files chowns to `user`).
        const int Flags = LibC.OWriteOnly | LibC.OAppend | LibC.ONoFollow | LibC.OCloexec;
        var created = true;
        var fd = LibC.open(path, Flags | LibC.OCreate | LibC.OExclusive, NewLogMode);
        if (fd < 0 && Marshal.GetLastPInvokeError() == LibC.Eexist)
        {
            created = false;
            fd = LibC.open(path, Flags, 0);
        }

        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            loop.ReplyFailed(id, $"open() \"{path}\" failed ({errno}: {Marshal.GetPInvokeErrorMessage(errno)})");
            return;
        }

        try
        {
            if (FileStatus.Of(fd, out var links) is not { IsRegular: true } || links != 1)
            {
                loop.Refuse(id, $"open \"{path}\"", $"\"{path}\" is not a regular file with one link");
                return;
            }

            if (created && loop.Policy.Server is { } server)
            {
                _ = LibC.fchown(fd, server.Uid, uint.MaxValue);
            }

            loop.ReplyFd(id, fd);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    public static void GiveDirectory(PrivilegedHelperLoop loop, uint id, uint uid, uint gid, int mode, List<int> fds)
    {
        var what = $"give a directory to uid {uid} gid {gid}";
        if (fds.Count != 1 || mode is not (PrivateDirectory or SearchableDirectory))
        {
            loop.Refuse(id, what, "one directory fd and mode 0700 or 0711 expected");
            return;
        }

        if (loop.Policy.CheckAccount(uid, gid, [], out var reason) is null)
        {
            loop.Refuse(id, what, reason!);
            return;
        }

        // Only a directory the server itself owns: it gives away nothing it could not already fill.
        if (loop.Policy.Server is not { } server || FileStatus.Of(fds[0], out _) is not { IsDirectory: true } st || st.Uid != server.Uid)
        {
            loop.Refuse(id, what, "not a directory owned by the server's user");
            return;
        }

        if (LibC.fchown(fds[0], uid, gid) != 0 || LibC.fchmod(fds[0], (uint)mode) != 0)
        {
            loop.ReplyFailed(id, $"fchown() failed ({ProcessCredentials.Errno()})");
            return;
        }

        loop.ReplyDone(id);
    }
}
