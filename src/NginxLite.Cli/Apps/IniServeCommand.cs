using NginxLite.Cli.Apps.Stats;
using NginxLite.Config.Validation;

namespace NginxLite.Cli.Apps;

/// <summary>
/// <c>nginxlite --ini app.ini[:section]</c> without <c>-t</c>: runs the ini as <c>uwsgi --ini</c> would, through the
/// one serve path (<see cref="ServeCommand.RunGeneratedAsync"/>), with no file written. The prefix is the start
/// directory; SIGTERM stops (uWSGI's <c>die-on-term</c> behaviour, always), SIGHUP and touch-reload re-read the ini.
/// </summary>
internal static class IniServeCommand
{
    public static int Run(string ini, CommandLineOptions options, ErrorLogSink log) =>
        RunAsync(ini, options, log, Directory.GetCurrentDirectory(), CancellationToken.None).GetAwaiter().GetResult();

    public static Task<int> RunAsync(string ini, CommandLineOptions options, ErrorLogSink log, string startDirectory, CancellationToken stop)
    {
        var pid = Environment.ProcessId;
        var started = DateTime.UtcNow;

        // touch-reload is a reload with the same ini: the supervisor chain-reloads a pool whose settings did not change.
        return ServeCommand.RunGeneratedAsync(
            () => IniServeTranslation.Translate(ini, options.Strict, startDirectory, pid),
            startDirectory.EndsWith('/') ? startDirectory : startDirectory + "/",
            log,
            stop,
            (generated, service, token) => Task.WhenAll(
                TouchReloadWatcher.WatchAsync(
                    generated.TouchReload,
                    started,
                    service.ReloadAsync,
                    TimeSpan.FromSeconds(1),
                    token),
                generated.Stats is { } stats
                    ? StatsServer.ServeAsync(stats, generated.StatsHttp, () => StatsSource.Snapshot(service.Server.Apps, generated.AppName, generated.Sockets, startDirectory), m => log.Write(Diagnostic.Emerg(m, null, 0)), token)
                    : Task.CompletedTask));
    }
}
