using NginxLite.Config.Validation;
using NginxLite.Routing.Compilation;
using NginxLite.Server.Hosting;

namespace NginxLite.Cli;

/// <summary>
/// Plain <c>nginxlite</c>: check the config (errors as <c>-t</c> prints them, exit 1, nothing started), then run the
/// host (<see cref="NginxLiteHost"/>): bind every listener, write the pid file, serve in the foreground with nginx's
/// signals (QUIT graceful stop, TERM/INT fast stop, HUP reload, USR1 reopen logs).
/// </summary>
internal static class ServeCommand
{
    public static int Run(string configFile, string prefix, CommandLineOptions options, ErrorLogSink log) =>
        RunAsync(configFile, prefix, options, log, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Serves until a stop signal or <paramref name="stop"/> (tests stop it this way).</summary>
    public static async Task<int> RunAsync(string configFile, string prefix, CommandLineOptions options, ErrorLogSink log, CancellationToken stop)
    {
        var load = RouteTableLoader.Load(configFile, prefix, options.GlobalDirectives, options.IgnoreModules);
        foreach (var d in load.Test.Diagnostics.Where(d => load.Table is null || !d.IsError))
        {
            log.Write(d);
        }

        if (load.Table is null)
        {
            return 1;
        }

        try
        {
            await NginxLiteHost.RunAsync(new ServeSettings(load.Table, () => RouteTableLoader.Load(configFile, prefix, options.GlobalDirectives, options.IgnoreModules)), stop);
            return 0;
        }
        catch (BindException e)
        {
            log.Write(Diagnostic.Emerg(e.Message, null, 0));
            return 1;
        }
    }
}
