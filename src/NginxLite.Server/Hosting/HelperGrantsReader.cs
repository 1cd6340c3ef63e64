using NginxLite.Apps;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing;
using NginxLite.Routing.Compilation;
using NginxLite.Server.Logging;

namespace NginxLite.Server.Hosting;

/// <summary>
/// What a configuration lets the root helper do (docs/cgi.md, "Privileged helper"): its listen addresses, log files
/// and accounts. The helper calls <see cref="Read"/> itself, as root, on the configuration file the server was
/// started with — never trusting the dropped server to say what is configured — as nginx's root master re-reads
/// nginx.conf on HUP.
/// </summary>
public static class HelperGrantsReader
{
    /// <summary>The configuration file as it is now; null when it does not load (then only the start's lists hold).
    /// Throws <see cref="UntrustedConfigurationException"/> when the main file or an included one is not root's alone
    /// (<see cref="ConfigFileTrust"/>): the helper then grants nothing it names.</summary>
    public static HelperGrants? Read(HelperConfigSource source)
    {
        // The helper runs as the uid that started the server (root): that owner, or root, is trusted.
        var startingUid = Handlers.Posix.UnixAccount.EffectiveUid;
        ConfigFileTrust.Demand([source.File], startingUid);
        var load = RouteTableLoader.Load(source.File, source.Prefix, source.Globals, source.IgnoreModules);
        ConfigFileTrust.Demand(load.Test.Document.Files.Select(f => f.Path), startingUid);
        return load.Table is { } table ? From(table) : null;
    }

    public static HelperGrants From(RouteTable table) => new(
        [.. table.Listeners.Select(l => l.Address)],
        [.. ConfiguredLogs.Files(table)],
        [.. Accounts(table).Distinct().Select(w => w.Group is null ? w.User : $"{w.User}:{w.Group}")],
        table.Main.SocketMode,
        table.Main.SocketOwner);

    /// <summary><c>user</c>, every <c>cgi_user</c>, every app's worker account.</summary>
    private static IEnumerable<(string User, string? Group)> Accounts(RouteTable table)
    {
        var main = table.Main;
        if (main.User is not { } user)
        {
            return [];
        }

        return new[] { (user, main.Group) }
            .Concat(table.CgiUsers)
            .Concat(AppSupervisor.WorkerAccounts(table.Apps.Values, user, main.Group));
    }
}
