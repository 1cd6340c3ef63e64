using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing.Apps;

namespace NginxLite.Apps;

/// <summary>
/// Who a pool's workers run as (docs/apps.md, "Privileges"). A server that is not root starts them as itself (it could
/// not switch anyway) — unless it was root and <c>user</c> dropped it: its root helper then spawns them as below, also
/// for a pool a reload adds. A root server never starts them as root unless the app says <c>user root</c>: the app's
/// <c>user</c>, else the <c>user</c> directive's, else <c>nobody</c> — as uWSGI's uid/gid, with nginx's rule that a
/// missing group is the user's own primary group.
/// </summary>
internal static class WorkerAccount
{
    /// <summary>The account to switch to, or null to run as the server's own user.</summary>
    public static UnixAccount? Resolve(AppSettings app, string? serverUser, string? serverGroup)
    {
        var self = UnixAccount.EffectiveUid;
        if (self != 0 && PrivilegedHelper.Current is not { IsAlive: true })
        {
            return null;
        }

        var (user, group) = Names(app, serverUser, serverGroup);
        var account = UnixAccount.TryResolve(user, group, out var error)
            ?? throw new AppLoadException(app.Name, error ?? $"unknown user \"{user}\"");

        // A pool a reload added after `user` dropped the server: another account is the root helper's to spawn, as
        // at start; the server's own account needs no switch.
        return self != 0 && account.Uid == self ? null : account;
    }

    /// <summary>The USER and GROUP a root server resolves for the app's workers.</summary>
    public static (string User, string? Group) Names(AppSettings app, string? serverUser, string? serverGroup) =>
        app.User is not null ? (app.User, app.Group)
        : serverUser is not null && serverUser != "root" && serverUser != "0" ? (serverUser, app.Group ?? serverGroup)
        : ("nobody", app.Group);
}
