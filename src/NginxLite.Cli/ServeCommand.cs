using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NginxLite.Cli.Apps;
using NginxLite.Config.Syntax;
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

        // The root helper reads this same configuration again, as root, to allow what a reload adds (docs/cgi.md); it
        // starts in this working directory, so relative paths mean the same to it.
        NginxLite.Handlers.Privileged.PrivilegedHelper.ConfigSource =
            new(configFile, prefix, options.GlobalDirectives, options.IgnoreModules);
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

    /// <summary>
    /// Serves a config a front end generated (<c>--ini</c>, <c>wsgi</c>, <c>rack</c>): the same check, compile and host as a
    /// config file, with no file written. Reload (SIGHUP, touch-reload) generates it again, so an edited ini or
    /// gunicorn.conf.py is read anew, as uWSGI and gunicorn re-read theirs. <paramref name="sidecar"/> runs beside the
    /// host once it serves (touch-reload watcher, stats server), gets the running service (reload, app pools), and is cancelled when the host stops.
    /// </summary>
    public static async Task<int> RunGeneratedAsync(Func<GeneratedConfig> generate, string prefix, ErrorLogSink log, CancellationToken stop, Func<GeneratedConfig, NginxLiteHostedService, CancellationToken, Task>? sidecar = null)
    {
        var generated = generate();
        var load = Load(generated, prefix);
        foreach (var d in generated.Text is null ? generated.Diagnostics : generated.Diagnostics.Concat(load.Test.Diagnostics.Where(d => load.Table is null || !d.IsError)))
        {
            log.Write(d);
        }

        if (load.Table is null)
        {
            return 1;
        }

        var host = NginxLiteHost.Build(new ServeSettings(load.Table, () => Load(generate(), prefix)));
        using var sidecarStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var side = Task.CompletedTask;
        try
        {
            await host.StartAsync(stop);
            var service = host.Services.GetRequiredService<NginxLiteHostedService>();
            side = sidecar?.Invoke(generated, service, sidecarStop.Token) ?? Task.CompletedTask;
            await host.WaitForShutdownAsync(stop);
            return 0;
        }
        catch (BindException e)
        {
            log.Write(Diagnostic.Emerg(e.Message, null, 0));
            return 1;
        }
        finally
        {
            await sidecarStop.CancelAsync();
            await side.ContinueWith(static _ => { }, TaskScheduler.Default);
            if (host is IAsyncDisposable async)
            {
                await async.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }

    private static RouteTableLoad Load(GeneratedConfig generated, string prefix)
    {
        if (generated.Text is null)
        {
            var document = new ConfigDocument(generated.Origin, [], [], null);
            return new RouteTableLoad(new ConfigTestResult(document, null, [.. generated.Diagnostics.Where(d => d.IsError)]), null);
        }

        return RouteTableLoader.LoadText(generated.Text, prefix, generated.Origin + ".nginxlite.conf");
    }
}
