using NginxLite.Routing.Servers;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// What a configuration lets the root helper do for the server (docs/cgi.md, "Privileged helper"): bind its
/// <c>listen</c> addresses (with its <c>chmod_socket</c>/<c>chown_socket</c> for Unix sockets), open its
/// <c>error_log</c>/<c>access_log</c> files, spawn as its accounts (<c>user</c>, every <c>cgi_user</c>, every app's
/// worker account: USER or USER:GROUP). The helper builds it from the configuration it reads itself, as root — never
/// from what the server sends.
/// </summary>
public sealed record HelperGrants(IReadOnlyCollection<ListenAddress> Listen, IReadOnlyCollection<string> Logs,
    IReadOnlyCollection<string> Accounts, string? SocketMode, string? SocketOwner)
{
    public static readonly HelperGrants None = new([], [], [], null, null);
}
