using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using NginxLite.Routing;

namespace NginxLite.Server.Hosting;

/// <summary>
/// The server as an <see cref="IHostedService"/>: start binds every listener, then writes the pid file (so a pid file
/// means "serving"); stop closes the listeners (graceful or fast, as <see cref="NginxLifetime"/> decided), then
/// removes the pid file. Reload and reopen are the HUP/USR1 actions. Under systemd (<c>Type=notify</c>,
/// <c>$NOTIFY_SOCKET</c> set) it reports READY=1 once serving, RELOADING=1 … READY=1 around a reload and STOPPING=1.
/// </summary>
public sealed class NginxLiteHostedService(ServeSettings settings) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _reloads = new(1, 1);
    private readonly CancellationTokenSource _abort = new();
    private readonly SystemdNotifier _systemd = new();
    // Completed true once started (false when the start failed). A SIGHUP that arrives while starting (the port already
    // answers, the pid file may exist) waits for it, as nginx's master takes a signal caught before its loop runs.
    private readonly TaskCompletionSource<bool> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NginxLiteServer Server { get; } = new(settings.Table);

    /// <summary>Set by the lifetime before it asks the host to stop: true = SIGQUIT (finish in-flight requests).</summary>
    public bool GracefulStop { get; set; }

    /// <summary>TERM/INT: stop now, also when a graceful stop is already under way.</summary>
    public void ForceFastStop()
    {
        GracefulStop = false;
        _abort.Cancel();
    }

    /// <summary>The pid file this process wrote (the first table's <c>pid</c>), or null before start.</summary>
    public string? PidFile { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = false;
        try
        {
            await StartServerAsync(cancellationToken);
            started = true;
        }
        finally
        {
            _started.TrySetResult(started);
        }

        Notify(ServiceState.Ready);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Server.StartAsync(cancellationToken, completeStartupLater: true);
        }
        catch (NginxLite.Apps.AppLoadException e)
        {
            // need-app at start: the traceback is already in the error log; nothing is served.
            Server.Runtime.ErrorLog.Write(ErrorLevel.Emerg, e.Message);
            throw new BindException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // A live unix socket file already says it in nginx's words ("bind() to unix:… failed (98: …)").
            var message = e.Message.StartsWith("bind() to ", StringComparison.Ordinal) ? e.Message : $"bind() failed ({e.Message})";
            Server.Runtime.ErrorLog.Write(ErrorLevel.Emerg, message);
            throw new BindException(message, e);
        }

        var pidFile = Server.Table.Main.PidFile;
        WritePid(pidFile);
        PidFile = pidFile;
        try
        {
            Server.CompleteStartup();
        }
        catch (InvalidOperationException e)
        {
            Server.Runtime.ErrorLog.Write(ErrorLevel.Emerg, e.Message);
            TryDelete(pidFile);
            PidFile = null;
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var graceful = GracefulStop;
        Notify(ServiceState.Stopping);
        Server.Runtime.ErrorLog.Write(ErrorLevel.Notice, graceful ? "gracefully shutting down" : "exiting");
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, cancellationToken);
        await Server.StopAsync(graceful, settings.GracefulTimeout, abort.Token);
        if (PidFile is { } pid)
        {
            TryDelete(pid);
            PidFile = null;
        }

        Server.Runtime.ErrorLog.Write(ErrorLevel.Notice, "exit");
    }

    /// <summary>SIGHUP: build the new table off to the side; a bad config is logged as [emerg] and the old one keeps serving.</summary>
    public async Task ReloadAsync()
    {
        if (!await _started.Task)
        {
            return;
        }

        await _reloads.WaitAsync();
        Notify(new ServiceState("RELOADING=1"));
        try
        {
            Server.Runtime.ErrorLog.Write(ErrorLevel.Notice, "signal 1 (SIGHUP) received, reconfiguring");
            var load = settings.Reload();
            if (load.Table is null)
            {
                foreach (var d in load.Test.Diagnostics.Where(d => d.IsError))
                {
                    Server.Runtime.ErrorLog.Write(ErrorLevel.Emerg, d.ToString().Replace("[emerg] ", "", StringComparison.Ordinal));
                }

                return;
            }

            await Server.ReloadAsync(load.Table);
        }
        catch (Exception e)
        {
            Server.Runtime.ErrorLog.Write(ErrorLevel.Emerg, $"reload failed: {e.Message}");
        }
        finally
        {
            Notify(ServiceState.Ready);
            _reloads.Release();
        }
    }

    /// <summary>SIGUSR1: reopen every log file (logrotate renamed them).</summary>
    public void ReopenLogs()
    {
        Server.Runtime.Logs.ReopenAll();
        Server.Runtime.ErrorLog.Write(ErrorLevel.Notice, "reopening logs");
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private void Notify(ServiceState state)
    {
        if (_systemd.IsEnabled)
        {
            _systemd.Notify(state);
        }
    }

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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // After `user` dropped privileges the pid file's directory may not be writable any more.
        }
    }
}

/// <summary>nginxlite cannot start: a listener could not be bound (nginx's <c>bind() failed (…)</c>) or an app failed to load.</summary>
public sealed class BindException(string message, Exception inner) : IOException(message, inner);
