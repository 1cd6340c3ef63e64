using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing;

namespace NginxLite.Apps;

/// <summary>
/// One worker process of a pool: started from a <see cref="ProcessStartInfo"/>, ready when it prints
/// <c>NGINXLITE-READY</c> (worker contract), its stdout/stderr copied to the error log line by line ([notice] for
/// stdout, [error] for stderr — uWSGI logs them plainly). Counts its requests in flight (for least-busy choice) and
/// served (for max_requests). Thread-safe counters; the pool decides what to do with them.
/// </summary>
internal sealed class AppWorker
{
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AppLogWriter _log;
    private readonly string _app;
    private readonly List<string> _startErrors = [];
    private Process? _process;
    private HelperChild? _remote;
    private AppLoader? _loader;
    private int _forkedStatus = -1;
    private Task _remoteOutput = Task.CompletedTask;
    private int _inFlight;
    private long _served;
    private volatile bool _killed;

    public AppWorker(string app, int number, string socket, AppLogWriter log, string? label = null)
    {
        _app = app;
        Number = number;
        Socket = socket;
        Address = "unix:" + socket;
        EndPoint = new System.Net.Sockets.UnixDomainSocketEndPoint(socket);
        _log = log;
        Label = label ?? "worker " + number.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>How its log lines name it: "worker N", or "loader" for a lazy_apps off loader.</summary>
    public string Label { get; }

    /// <summary>The loader that forked it (lazy_apps off), else null: it is the server's (or the helper's) child.</summary>
    public AppLoader? Loader => _loader;

    /// <summary>uWSGI's worker number (1-based slot), as in "HARAKIRI ON WORKER n".</summary>
    public int Number { get; }

    /// <summary>The worker's private Unix socket.</summary>
    public string Socket { get; }

    /// <summary><see cref="Socket"/> as the error log names it, made once (not per request).</summary>
    public string Address { get; }

    /// <summary>The endpoint every request connects to, made once.</summary>
    public System.Net.EndPoint EndPoint { get; }

    public int Pid { get; private set; }

    public bool IsReady => _ready.Task.IsCompletedSuccessfully && _ready.Task.Result;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>True once the pool stopped choosing it (retired, draining): it finishes what it has, then gets SIGTERM.</summary>
    public bool Retiring { get; set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public long Served => Interlocked.Read(ref _served);

    public DateTime ReadyAt { get; private set; }

    public Task Exited => _exited.Task;

    public int ExitCode => _loader is not null ? (_forkedStatus < 0 ? -1 : ExitCodeOf(_forkedStatus))
        : _remote is { } r
        ? r.Exited.IsCompleted ? ExitCodeOf(r.Exited.Result) : -1
        : _process is { HasExited: true } p ? p.ExitCode : -1;

    /// <summary>Lines the worker wrote on stderr before it was ready (the traceback of a failed import).</summary>
    public IReadOnlyList<string> StartErrors
    {
        get
        {
            lock (_startErrors)
            {
                return [.. _startErrors];
            }
        }
    }

    /// <summary>Set (under the pool's lock) while a replacement is being started for max_requests/reload_on_rss.</summary>
    public bool Recycling { get; set; }

    /// <summary>Set (under the pool's free-slot lock) while a request on it lost its connection and its exit is not yet
    /// seen: none of its slots is handed out (AppPool.HoldBack).</summary>
    public bool HeldBack { get; set; }

    /// <summary>Its connection slots, one per thread (set by the pool when it spawns the worker).</summary>
    public WorkerConnection[] Connections { get; set; } = [];

    public void Enter() => Interlocked.Increment(ref _inFlight);

    /// <summary>A chosen worker that could not be connected to: the request is not counted as served.</summary>
    public void Abandon() => Interlocked.Decrement(ref _inFlight);

    /// <summary>A request ended; returns the number served so far. Not <paramref name="served"/> (no response came: a
    /// stale kept connection app_pass retries elsewhere, a dead or killed worker): not counted toward max_requests, as
    /// uWSGI counts a request only in uwsgi_close_request.</summary>
    public long Leave(bool served)
    {
        Interlocked.Decrement(ref _inFlight);
        return served ? Interlocked.Increment(ref _served) : Interlocked.Read(ref _served);
    }

    /// <summary>Starts the process; true when it became ready within <paramref name="timeout"/>, false when it exited
    /// first (see <see cref="ExitCode"/>) or timed out (then it is killed).</summary>
    public async Task<bool> StartAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken cancel)
    {
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Output(e.Data, stderr: false);
        process.ErrorDataReceived += (_, e) => Output(e.Data, stderr: true);
        process.Exited += (_, _) =>
        {
            _ready.TrySetResult(false);
            _exited.TrySetResult();
        };
        _process = process;
        process.Start();
        Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return await WaitReadyAsync(timeout, cancel);
    }

    /// <summary>
    /// The same start through the root helper (docs/apps.md, "Privileges"), as <paramref name="account"/>: for a
    /// worker of another account than the one <c>user</c> drops the server to, so it can still be signalled and
    /// respawned after the drop. <paramref name="info"/> carries no account; stdout and stderr are pipes read here,
    /// stdin is /dev/null. Throws <see cref="PrivilegedHelperException"/> when the helper refuses.
    /// </summary>
    public async Task<bool> StartAsync(PrivilegedHelper helper, UnixAccount account, ProcessStartInfo info, TimeSpan timeout, CancellationToken cancel)
    {
        using var stdin = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
        var request = new SpawnRequest(info.FileName, [info.FileName, .. info.ArgumentList],
            [.. info.Environment.Select(e => $"{e.Key}={e.Value}")], info.WorkingDirectory,
            account.Uid, account.Gid, account.Groups, NewSession: false, Script: null);
        var child = await StartWithOutputPipesAsync((stdout, stderr) =>
            helper.SpawnAsync(request, [(int)stdin.DangerousGetHandle(), stdout, stderr]));
        _remote = child;
        Pid = child.Pid;
        _ = child.Exited.ContinueWith(_ =>
        {
            _ready.TrySetResult(false);
            _exited.TrySetResult();
        }, TaskScheduler.Default);
        return await WaitReadyAsync(timeout, cancel);
    }

    /// <summary>
    /// lazy_apps off: the worker is forked by <paramref name="loader"/> (docs/apps.md), which already imported the
    /// app. Its stdout and stderr are pipes made here and passed to the loader, so its lines are logged as its own;
    /// its exit is seen through a pidfd (it is the loader's child, not ours) and its status comes from the loader.
    /// </summary>
    public async Task<bool> StartForkedAsync(AppLoader loader, TimeSpan timeout, CancellationToken cancel)
    {
        var pid = await StartWithOutputPipesAsync((stdout, stderr) => loader.ForkAsync(_app, Socket, stdout, stderr, cancel));
        _loader = loader;
        Pid = pid;
        _ = WatchForkedAsync(loader, pid);
        return await WaitReadyAsync(timeout, cancel);
    }

    /// <summary>A start made by another process (the root helper, the loader): <paramref name="start"/> gets the child
    /// ends of two pipes for the worker's stdout and stderr, which are read here line by line (closed again if the start
    /// fails; our copies of the child ends are closed either way).</summary>
    private async Task<T> StartWithOutputPipesAsync<T>(Func<int, int, Task<T>> start)
    {
        var stdout = new AnonymousPipeServerStream(PipeDirection.In);
        var stderr = new AnonymousPipeServerStream(PipeDirection.In);
        T started;
        try
        {
            started = await start((int)stdout.ClientSafePipeHandle.DangerousGetHandle(), (int)stderr.ClientSafePipeHandle.DangerousGetHandle());
        }
        catch
        {
            stdout.Dispose();
            stderr.Dispose();
            throw;
        }
        finally
        {
            stdout.DisposeLocalCopyOfClientHandle();
            stderr.DisposeLocalCopyOfClientHandle();
        }

        _remoteOutput = Task.WhenAll(ReadLinesAsync(stdout, stderr: false), ReadLinesAsync(stderr, stderr: true));
        return started;
    }

    private async Task WatchForkedAsync(AppLoader loader, int pid)
    {
        if (ChildExitWatcher.Shared?.Watch(pid) is { } exited)
        {
            await exited;
        }
        else
        {
            // No pidfd (Linux before 5.3): the loader's report, or kill(pid, 0) failing once the loader reaped it.
            var status = loader.ExitStatusAsync(pid);
            while (!status.IsCompleted && Signals.Send(pid, 0))
            {
                await Task.WhenAny(status, Task.Delay(100));
            }
        }

        try
        {
            // The pidfd may fire a moment before the loader's report arrives; a dead loader reports nothing.
            _forkedStatus = await loader.ExitStatusAsync(pid).WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
        }

        loader.Forget(pid);
        _ready.TrySetResult(false);
        _exited.TrySetResult();
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            var ready = await _ready.Task.WaitAsync(timeout, cancel);
            if (ready)
            {
                ReadyAt = DateTime.UtcNow;
            }

            return ready;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            _log(ErrorLevel.Error, $"app \"{_app}\" {Label} (pid: {Pid}) not ready after {timeout.TotalSeconds:0} s, killed");
            Kill();
            return false;
        }
    }

    private async Task ReadLinesAsync(Stream stream, bool stderr)
    {
        using var reader = new StreamReader(stream);
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                Output(line, stderr);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A waitpid status as Process.ExitCode reports it: the exit status, or 128 + the signal.</summary>
    private static int ExitCodeOf(int status) =>
        status < 0 ? -1 : (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);

    /// <summary>Waits for the exit, at most <paramref name="timeout"/>; false when it is still running.</summary>
    public async Task<bool> WaitExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
            if (_remote is not null || _loader is not null)
            {
                await _remoteOutput.WaitAsync(TimeSpan.FromSeconds(1));
            }
            else if (_process is { } p)
            {
                // Let the last stdout/stderr lines reach the log (Process drains them on WaitForExit).
                await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(1));
            }

            return true;
        }
        catch (TimeoutException)
        {
            return _exited.Task.IsCompleted;
        }
    }

    /// <summary>SIGTERM: the shim stops accepting, finishes its requests and exits 0.</summary>
    public void Terminate()
    {
        Send(Signals.SigTerm);
    }

    /// <summary>True once it was killed or has exited: never chosen again (a killed process may still accept on its
    /// socket for a moment, and that connection would be reset).</summary>
    public bool IsGone => _killed || HasExited;

    /// <summary>SIGKILL (harakiri, fast stop, a worker that does not stop).</summary>
    public void Kill()
    {
        _killed = true;
        Send(Signals.SigKill);
    }

    /// <summary>A helper's child is signalled through the helper (after the drop the server may not signal it).</summary>
    private void Send(int signal)
    {
        if (HasExited)
        {
            return;
        }

        if (_remote is { } remote)
        {
            remote.Signal(signal);
        }
        else if (_loader is { } loader)
        {
            // Its parent may signal it when we may not (a server dropped to another user than the app's).
            if (!Signals.Send(Pid, signal))
            {
                loader.Signal(Pid, signal);
            }
        }
        else
        {
            Signals.Send(Pid, signal);
        }
    }

    /// <summary>The worker's virtual size in bytes (uWSGI's <c>vsz</c>): the first field of /proc/PID/statm (uWSGI's
    /// get_memusage reads the same file), or 0 when it cannot be read.</summary>
    public long VirtualBytes() => StatmBytes(field: 0);

    /// <summary>The worker's resident set in bytes: the second field of /proc/PID/statm (the same number as VmRSS in
    /// /proc/PID/status, one short read instead of a parse of every line), or 0 when it cannot be read.</summary>
    public long ResidentBytes() => StatmBytes(field: 1);

    /// <summary>Field <paramref name="field"/> (0-based) of /proc/PID/statm, which counts pages, in bytes; 0 when it
    /// cannot be read.</summary>
    private long StatmBytes(int field)
    {
        try
        {
            var rest = File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/statm").AsSpan();
            for (var i = 0; i < field; i++)
            {
                var space = rest.IndexOf(' ');
                rest = space < 0 ? [] : rest[(space + 1)..];
            }

            var end = rest.IndexOf(' ');
            return long.TryParse(end < 0 ? rest : rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
                ? pages * Environment.SystemPageSize
                : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private void Output(string? line, bool stderr)
    {
        if (line is null)
        {
            return;
        }

        if (!stderr && line == "NGINXLITE-READY" && !_ready.Task.IsCompleted)
        {
            _ready.TrySetResult(true);
            return;
        }

        if (stderr && !_ready.Task.IsCompleted)
        {
            lock (_startErrors)
            {
                if (_startErrors.Count < 200)
                {
                    _startErrors.Add(line);
                }
            }
        }

        _log(stderr ? ErrorLevel.Error : ErrorLevel.Notice, $"app \"{_app}\" {Label} (pid: {Pid}): {line}");
    }
}
