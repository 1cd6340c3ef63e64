using System.Runtime.InteropServices;
using NginxLite.Config.Validation;
using NginxLite.Routing;
using NginxLite.Routing.Compilation;
using NginxLite.Server.Hosting;

namespace NginxLite.Cli;

/// <summary>
/// Plain <c>nginxlite</c>: check the config (errors as <c>-t</c> prints them, exit 1, nothing started), bind every
/// listener, write the pid file, serve in the foreground. Signals as nginx: QUIT graceful stop, TERM/INT fast stop,
/// HUP reload, USR1 reopen logs.
/// </summary>
internal static partial class ServeCommand
{
    // Linux: SIGUSR1 has no PosixSignal member; PosixSignalRegistration takes the raw number.
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    public static int Run(string configFile, string prefix, CommandLineOptions options, ErrorLogSink log) =>
        RunAsync(configFile, prefix, options, log, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Serves until a stop signal or <paramref name="stop"/> (tests stop it this way).</summary>
    public static async Task<int> RunAsync(string configFile, string prefix, CommandLineOptions options, ErrorLogSink log, CancellationToken stop)
    {
        var load = RouteTableLoader.Load(configFile, prefix, options.GlobalDirectives);
        if (load.Table is null)
        {
            foreach (var d in load.Test.Diagnostics)
            {
                log.Write(d);
            }

            return 1;
        }

        foreach (var d in load.Test.Diagnostics.Where(d => !d.IsError))
        {
            log.Write(d);
        }

        var table = load.Table;
        await using var server = new NginxLiteServer(table);
        try
        {
            await server.StartAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            var message = $"bind() failed ({e.Message})";
            log.Write(Diagnostic.Emerg(message, null, 0));
            server.Runtime.ErrorLog.Write(ErrorLevel.Emerg, message);
            return 1;
        }

        // A shell starts background jobs with SIGINT and SIGQUIT ignored, and the runtime then leaves them ignored;
        // nginx installs its handlers regardless, so put the default back before registering ours.
        Signal(2, 0);
        Signal(3, 0);
        var pidFile = table.Main.PidFile;
        WritePid(pidFile);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously); // true = graceful
        var reloads = new SemaphoreSlim(1, 1);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => { c.Cancel = true; done.TrySetResult(true); });
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; done.TrySetResult(false); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; done.TrySetResult(false); });
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            _ = ReloadAsync(server, configFile, prefix, options, reloads);
        });
        using var usr1 = PosixSignalRegistration.Create(SigUsr1, c =>
        {
            c.Cancel = true;
            server.Runtime.Logs.ReopenAll();
            server.Runtime.ErrorLog.Write(ErrorLevel.Notice, "reopening logs");
        });
        using var registration = stop.Register(() => done.TrySetResult(false));

        var graceful = await done.Task;
        server.Runtime.ErrorLog.Write(ErrorLevel.Notice, graceful ? "gracefully shutting down" : "exiting");
        await server.StopAsync(graceful);
        TryDelete(pidFile);
        return 0;
    }

    /// <summary>SIGHUP: build the new table off to the side; a bad config is logged as [emerg] and the old one keeps serving.</summary>
    internal static async Task ReloadAsync(NginxLiteServer server, string configFile, string prefix, CommandLineOptions options, SemaphoreSlim gate)
    {
        await gate.WaitAsync();
        try
        {
            server.Runtime.ErrorLog.Write(ErrorLevel.Notice, "signal 1 (SIGHUP) received, reconfiguring");
            var load = RouteTableLoader.Load(configFile, prefix, options.GlobalDirectives);
            if (load.Table is null)
            {
                foreach (var d in load.Test.Diagnostics.Where(d => d.IsError))
                {
                    server.Runtime.ErrorLog.Write(ErrorLevel.Emerg, d.ToString().Replace("[emerg] ", "", StringComparison.Ordinal));
                }

                return;
            }

            await server.ReloadAsync(load.Table);
        }
        catch (Exception e)
        {
            server.Runtime.ErrorLog.Write(ErrorLevel.Emerg, $"reload failed: {e.Message}");
        }
        finally
        {
            gate.Release();
        }
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    private static void WritePid(string pidFile)
    {
        var dir = Path.GetDirectoryName(pidFile);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(pidFile, Environment.ProcessId + "\n");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
