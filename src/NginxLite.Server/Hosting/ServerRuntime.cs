using NginxLite.Handlers;
using NginxLite.Routing;
using NginxLite.Server.Http;
using NginxLite.Server.Logging;

namespace NginxLite.Server.Hosting;

/// <summary>What every request shares: the log files and the error log of the current configuration.</summary>
public sealed class ServerRuntime : IDisposable
{
    private volatile ErrorLog _errorLog;

    public ServerRuntime(RouteTable table)
    {
        Logs = new LogFiles();
        Handlers.Register("stub_status", new StubStatusHandler(Stats));
        _errorLog = new ErrorLog(Logs.Get(table.Main.ErrorLogPath), table.Main.ErrorLogLevel);
    }

    public LogFiles Logs { get; }

    /// <summary>The content handlers of pass directives (proxy_pass …), shared by every request and kept across reloads.</summary>
    public ContentHandlers Handlers { get; } = new();

    /// <summary>Connection and request counters for stub_status, kept across reloads.</summary>
    public ConnectionStats Stats { get; } = new();

    /// <summary>Per-server, per-upstream and per-app-pool counters for nginxlite_status, kept across reloads.</summary>
    public TrafficStats Traffic { get; } = new();

    public ErrorLog ErrorLog => _errorLog;

    internal void Use(RouteTable table) =>
        _errorLog = new ErrorLog(Logs.Get(table.Main.ErrorLogPath), table.Main.ErrorLogLevel);

    internal void LogRequestError(RequestContext r, ErrorLevel level, string message, string? upstream = null)
    {
        var log = _errorLog;
        if (!log.Enabled(level))
        {
            return;
        }

        var client = r.GetVariable(new Routing.Variables.VariableRef(Routing.Variables.VariableKind.RemoteAddr, "remote_addr", 0));
        var hostHeader = r.HostHeaderValue;
        var host = hostHeader.Length > 0 ? $", host: \"{hostHeader}\"" : "";
        log.Write(level, message, r.ConnectionNumber, $", client: {client}, server: {r.Server?.PrimaryName}, request: \"{r.RequestLine}\"{(upstream is null ? "" : $", upstream: \"{upstream}\"")}{host}");
    }

    internal void LogAccess(RequestContext r)
    {
        var pass = r.Settings?.Upstream;
        var upstream = pass is null || pass.Directive is "stub_status" or "nginxlite_status" or "status_page" or "cgi" ? null : pass.Target;
        Traffic.Record(r.Server?.PrimaryName ?? "", upstream, pass?.Directive == "app_pass", r.Status, r.Elapsed);

        foreach (var rule in r.Settings?.AccessLogs ?? [])
        {
            if (Logs.Get(rule.Path).WriteLine(AccessLogWriter.Format(rule.Format, r)) is { } failure)
            {
                LogRequestError(r, ErrorLevel.Alert, $"write() to \"{rule.Path}\" failed {LogFile.DescribeFailure(failure)} while logging request");
            }
        }
    }

    /// <summary>Opens every access log of <paramref name="table"/> now (they open on first use otherwise): before
    /// <c>user</c> drops privileges, so root-owned log directories keep working, as nginx's master opens them.</summary>
    internal void OpenAccessLogs(RouteTable table)
    {
        foreach (var path in ConfiguredLogs.AccessLogPaths(table))
        {
            Logs.Get(path);
        }
    }

    public void Dispose() => Logs.Dispose();
}
