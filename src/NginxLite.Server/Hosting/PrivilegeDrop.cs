using NginxLite.Handlers.Posix;
using NginxLite.Routing;
using NginxLite.Server.Logging;

namespace NginxLite.Server.Hosting;

/// <summary>
/// <c>user USER [GROUP];</c>: after every listener is bound and every log is open (as root), the whole process
/// becomes USER — setgroups, setgid, setuid, in that order, so no root group survives and nothing can be taken back.
/// nginx drops only its workers; NginxLite is one process, so it drops itself (see docs/cgi.md for what that means for
/// reload and log reopening).
/// </summary>
internal static class PrivilegeDrop
{
    /// <summary>Drops to the table's <c>user</c>; without a GROUP, nginx's rule: the group named like the user.</summary>
    public static void Apply(MainSettings main, ErrorLog log)
    {
        if (main.User is not { } user)
        {
            return;
        }

        if (ProcessCredentials.geteuid() != 0)
        {
            log.Write(ErrorLevel.Warn, "the \"user\" directive makes sense only if the master process runs with super-user privileges, ignored");
            return;
        }

        var account = UnixAccount.TryResolve(user, main.Group ?? user, out var error)
            ?? throw new InvalidOperationException(error);
        if (ProcessCredentials.setgroups((nuint)account.Groups.Length, account.Groups) != 0)
        {
            throw new InvalidOperationException($"setgroups({account.Gid}) failed ({ProcessCredentials.Errno()})");
        }

        if (ProcessCredentials.setgid(account.Gid) != 0)
        {
            throw new InvalidOperationException($"setgid({account.Gid}) failed ({ProcessCredentials.Errno()})");
        }

        if (ProcessCredentials.setuid(account.Uid) != 0)
        {
            throw new InvalidOperationException($"setuid({account.Uid}) failed ({ProcessCredentials.Errno()})");
        }
    }
}
