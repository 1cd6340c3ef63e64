using NginxLite.Apps;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing;
using NginxLite.Server.Logging;

namespace NginxLite.Server.Hosting;

/// <summary>
/// Starts the root helper (docs/cgi.md, "Privileged helper") when <c>user</c> will drop a root server and the
/// configuration names other accounts — a <c>cgi_user</c>, an app's <c>user</c>/<c>group</c> — that the dropped server
/// could no longer spawn as. Its allow-list is fixed here, from this configuration: a reload cannot widen it.
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

        // The drop target as PrivilegeDrop resolves it, and as CgiHandler resolves the default cgi user.
        var drop = UnixAccount.TryResolve(user, main.Group ?? user, out _);
        var wanted = new List<(string User, string? Group)> { (user, main.Group) };
        wanted.AddRange(table.CgiUsers);
        wanted.AddRange(AppSupervisor.WorkerAccounts(table.Apps.Values, user, main.Group));
        var others = wanted.Distinct()
            .Where(w => UnixAccount.TryResolve(w.User, w.Group, out _) is { } a && (a.Uid != drop?.Uid || a.Gid != drop.Gid))
            .ToList();
        if (others.Count == 0)
        {
            return null;
        }

        var allow = wanted.Distinct().Select(w => w.Group is null ? w.User : $"{w.User}:{w.Group}").ToList();
        var helper = PrivilegedHelper.Start(allow);
        log.Write(ErrorLevel.Notice, $"privileged helper started (pid {helper.Pid}), spawning as: {string.Join(", ", allow)}");
        return helper;
    }
}
