using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing;
using NginxLite.Server.Logging;

namespace NginxLite.Server.Hosting;

/// <summary>
/// Starts the root helper (docs/cgi.md, "Privileged helper") when <c>user</c> will drop a root server: what the
/// dropped server can no longer do — spawn as another account (a <c>cgi_user</c>, an app's <c>user</c>), bind a
/// reload's new port below 1024, reopen a log in a directory only root may enter — it asks the helper, as nginx's
/// workers rely on their root master. The helper allows the accounts and logs of this configuration, and what the
/// configuration file says when it reads it again (as root) on a request; never what the server claims.
/// </summary>
internal static class PrivilegedHelperLaunch
{
    public static PrivilegedHelper? StartIfNeeded(RouteTable table, ErrorLog log)
    {
        var main = table.Main;
        if (main.User is not { } user || UnixAccount.EffectiveUid != 0 || PrivilegedHelper.Command is null || PrivilegedHelper.Current is not null)
        {
            return null;
        }

        // The start's lists are what the helper would read from this configuration itself (HelperGrantsReader).
        var grants = HelperGrantsReader.From(table);
        // The drop target as PrivilegeDrop resolves it: without GROUP, the group named like the user.
        var more = new List<string> { "--server", $"{user}:{main.Group ?? user}" };
        foreach (var path in grants.Logs)
        {
            more.AddRange(["--log", path]);
        }

        more.AddRange(PrivilegedHelper.ConfigSource?.ToArguments() ?? []);
        var helper = PrivilegedHelper.Start(grants.Accounts, more);
        log.Write(ErrorLevel.Notice, $"privileged helper started (pid {helper.Pid}), spawning as: {string.Join(", ", grants.Accounts)}");
        return helper;
    }
}
