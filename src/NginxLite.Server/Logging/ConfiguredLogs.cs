using NginxLite.Routing;

namespace NginxLite.Server.Logging;

/// <summary>Every log file a route table names: its <c>error_log</c> and the <c>access_log</c> of every server and
/// location (nested and named ones too).</summary>
internal static class ConfiguredLogs
{
    public static IEnumerable<string> AccessLogPaths(RouteTable table)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in table.Listeners.SelectMany(l => l.Servers.Servers).Distinct())
        {
            Add(server.Settings);
            foreach (var location in server.Locations.Locations.Concat(server.NamedLocations.Values))
            {
                AddTree(location);
            }
        }

        return paths;

        void AddTree(Routing.Locations.Location location)
        {
            Add(location.Settings);
            foreach (var nested in location.Nested?.Locations ?? [])
            {
                AddTree(nested);
            }
        }

        void Add(Routing.Settings.LocationSettings settings)
        {
            foreach (var rule in settings.AccessLogs)
            {
                paths.Add(rule.Path);
            }
        }
    }

    /// <summary>The error log and every access log that is a file (not <c>stderr</c>).</summary>
    public static IEnumerable<string> Files(RouteTable table) =>
        AccessLogPaths(table).Prepend(table.Main.ErrorLogPath).Where(Path.IsPathFullyQualified).Distinct(StringComparer.Ordinal);
}
