using NginxLite.Routing;
using NginxLite.Routing.Compilation;

namespace NginxLite.Server.Hosting;

/// <summary>
/// What the host serves: the checked first table, and how to load the config again on reload (the same file, prefix
/// and <c>-g</c> directives).
/// </summary>
public sealed record ServeSettings(RouteTable Table, Func<RouteTableLoad> Reload)
{
    /// <summary>How long a graceful stop (SIGQUIT) waits for in-flight requests before dropping them.</summary>
    public TimeSpan GracefulTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
