using System.Collections.Concurrent;
using System.Net.Sockets;
using NginxLite.Handlers.Apps;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing;
using NginxLite.Routing.Apps;

namespace NginxLite.Apps;

/// <summary>
/// The workers of one <c>app</c> block (docs/apps.md): a private run dir (mkdtemp 0700, owned by the worker user) with
/// the shim and one socket per worker; <see cref="AppSettings.Processes"/> slots, each holding the worker that serves
/// it. Requests go to the least-busy ready worker (fewest in flight, ties by round robin). A worker that dies is
/// respawned in its slot (with backoff when it keeps dying); max_requests and reload_on_rss recycle a worker between
/// requests (the replacement is ready before the old one stops choosing and gets SIGTERM once idle); harakiri kills a
/// worker stuck on a request. Split in partial files: start and stop here, choosing in .Choice, respawn in .Respawn.
/// </summary>
internal sealed partial class AppPool : IAppPool, IAsyncDisposable
{
    /// <summary>How long a worker may take to print NGINXLITE-READY (uWSGI has no such bound: it just waits).</summary>
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(30);

    private const int PrivateDirectory = 0x1C0; // 0700
    private const int SearchableDirectory = 0x1C9; // 0711

    private readonly AppLogWriter _log;
    private readonly UnixAccount? _account;
    private readonly AppWorker?[] _slots;
    private readonly WorkerSlotCounters[] _counters;
    private readonly ConcurrentDictionary<AppWorker, byte> _live = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _openSockets;
    private readonly TimeSpan _startTimeout;
    private string _shim = "";
    private int _sequence;

    private AppPool(AppSettings settings, UnixAccount? account, bool openSockets, AppLogWriter log, TimeSpan startTimeout)
    {
        Settings = settings;
        _account = account;
        _openSockets = openSockets;
        _log = log;
        _startTimeout = startTimeout;
        _slots = new AppWorker?[settings.Processes];
        _counters = [.. Enumerable.Range(0, settings.Processes).Select(_ => new WorkerSlotCounters())];
        RunDirectory = "";
    }

    public AppSettings Settings { get; }

    public string Name => Settings.Name;

    /// <summary>The private directory of the shim and the worker sockets (removed on stop: uWSGI's vacuum).</summary>
    public string RunDirectory { get; private set; }

    /// <summary>After a reload replaced this pool: where requests that still reach it go.</summary>
    public AppPool? Successor { get; set; }

    /// <summary>The workers serving now, by slot (null: a slot whose worker is being respawned).</summary>
    public IReadOnlyList<AppWorker?> Workers
    {
        get
        {
            lock (_slots)
            {
                return [.. _slots];
            }
        }
    }

    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>
    /// Starts every worker and waits until all are ready. Throws <see cref="AppLoadException"/> when one exits first
    /// (22: the app failed to import — need-app) or times out; the others are then stopped and the run dir removed.
    /// </summary>
    public static async Task<AppPool> StartAsync(AppSettings settings, string? serverUser, string? serverGroup, AppLogWriter log, TimeSpan? startTimeout = null)
    {
        var account = WorkerAccount.Resolve(settings, serverUser, serverGroup);
        // A root server that will drop to `user` must still reach sockets of workers running as another user.
        var open = account is not null && serverUser is not null && UnixAccount.TryResolve(serverUser, serverGroup, out _)?.Uid != account.Uid;
        var pool = new AppPool(settings, account, open, log, startTimeout ?? DefaultStartTimeout);
        try
        {
            await pool.PrepareRunDirectoryAsync();
            if (pool.Forks)
            {
                // lazy_apps off: the app is imported once, by the loader; the workers are forked from it.
                pool.UseLoader(await pool.StartLoaderAsync());
            }

            var workers = Enumerable.Range(0, settings.Processes).Select(i => pool.SpawnAsync(i)).ToList();
            var started = await Task.WhenAll(workers);
            var failed = started.FirstOrDefault(w => !w.IsReady);
            if (failed is not null)
            {
                await failed.WaitExitAsync(TimeSpan.FromSeconds(2));
                var reason = failed.HasExited
                    ? failed.ExitCode == NeedAppExit ? NotImported : $"worker exited with status {failed.ExitCode}"
                    : "not ready in time";
                throw new AppLoadException(settings.Name, reason);
            }

            for (var i = 0; i < started.Length; i++)
            {
                pool._slots[i] = started[i];
                _ = pool.WatchAsync(i, started[i]);
            }

            foreach (var w in started)
            {
                pool.AddConnections(w);
            }

            log(ErrorLevel.Notice, $"app \"{settings.Name}\" started {settings.Processes} worker(s) (pids: {string.Join(", ", started.Select(w => w.Pid))})");
            return pool;
        }
        catch
        {
            await pool.StopAsync(graceful: false, TimeSpan.FromSeconds(1));
            throw;
        }
    }

    private async Task PrepareRunDirectoryAsync()
    {
        RunDirectory = Directory.CreateTempSubdirectory("nginxlite-app-" + Name + "-").FullName; // mkdtemp: mode 0700
        _shim = ShimFiles.Write(RunDirectory, Settings.IsRack);
        if (_account is not null && UnixAccount.EffectiveUid is not 0 and var self && self != _account.Uid
            && PrivilegedHelper.Current is { IsAlive: true } helper)
        {
            // A pool a reload added after `user` dropped the server: the root helper gives the directory to the pool's
            // account (only one the configuration names), as it was given at start (docs/cgi.md, "Privileged helper").
            try
            {
                await helper.GiveDirectoryAsync(RunDirectory, _account.Uid, _account.Gid, _openSockets ? SearchableDirectory : PrivateDirectory)
                    .WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is PrivilegedHelperException or TimeoutException)
            {
                throw new AppLoadException(Name, $"cannot give \"{RunDirectory}\" to uid {_account.Uid}: {e.Message}");
            }
        }
        else if (_account is not null)
        {
            if (ProcessCredentials.chown(RunDirectory, _account.Uid, _account.Gid) != 0)
            {
                throw new AppLoadException(Name, $"chown(\"{RunDirectory}\") failed ({ProcessCredentials.Errno()})");
            }

            if (_openSockets)
            {
                // The server drops to another user than the workers': it needs to reach the sockets (search only).
                File.SetUnixFileMode(RunDirectory, (UnixFileMode)SearchableDirectory);
            }
        }
    }

    /// <summary>Starts one worker for <paramref name="slot"/> and waits for it to be ready (or to fail): forked by
    /// the loader with lazy_apps off, else a process of its own (<see cref="LaunchAsync"/>).</summary>
    private async Task<AppWorker> SpawnAsync(int slot)
    {
        var socket = Path.Combine(RunDirectory, $"worker-{slot + 1}.{Interlocked.Increment(ref _sequence)}.sock");
        var worker = new AppWorker(Name, slot + 1, socket, _log);
        worker.Connections = [.. Enumerable.Range(0, Settings.Threads).Select(_ => new WorkerConnection(worker))];
        _counters[slot].Spawned();
        _live[worker] = 0;
        _ = worker.Exited.ContinueWith(_ =>
        {
            _live.TryRemove(worker, out byte _);
            CloseIdle(worker);
            TryDelete(socket);
            WorkerWent();
        }, TaskScheduler.Default);
        if (Forks)
        {
            try
            {
                await worker.StartForkedAsync(await LoaderAsync(), _startTimeout, _stopping.Token);
            }
            catch (Exception e) when (e is AppLoadException or OperationCanceledException)
            {
                _live.TryRemove(worker, out byte _);
                throw e as AppLoadException ?? new AppLoadException(Name, "stopping");
            }

            return worker;
        }

        await LaunchAsync(worker, loader: false);
        return worker;
    }

    /// <summary>
    /// Starts the process of <paramref name="worker"/> — a worker, or the loader with lazy_apps off — with the pool's
    /// account: a worker of another account than the drop target is the root helper's child (docs/apps.md,
    /// "Privileges"). The one place a pool's processes are started.
    /// </summary>
    private async Task LaunchAsync(AppWorker worker, bool loader)
    {
        var helper = PrivilegedHelper.Current;
        var viaHelper = _openSockets && _account is { Uid: not 0 } && helper is not null;
        var info = WorkerCommand.Build(Settings, _shim, worker.Socket, viaHelper ? null : _account, _openSockets, loader);
        try
        {
            if (viaHelper)
            {
                await worker.StartAsync(helper!, _account!, info, _startTimeout, _stopping.Token);
            }
            else
            {
                await worker.StartAsync(info, _startTimeout, _stopping.Token);
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or PrivilegedHelperException)
        {
            _live.TryRemove(worker, out byte _);
            throw new AppLoadException(Name, $"{info.FileName}: {e.Message}");
        }
    }

    /// <summary>
    /// Stops every worker. Graceful (SIGQUIT of nginxlite, a reload's old pool): the workers stop being chosen, each
    /// gets SIGTERM once its requests are done (at most <paramref name="timeout"/>), then SIGKILL if it is still there.
    /// Fast: SIGTERM now, SIGKILL after a short grace. Then the run dir goes (sockets and shim: uWSGI's vacuum).
    /// </summary>
    public async Task StopAsync(bool graceful, TimeSpan timeout)
    {
        _stopping.Cancel();
        WakeWaiters();
        var workers = _live.Keys.ToList();
        foreach (var w in workers)
        {
            w.Retiring = true;
        }

        var deadline = DateTime.UtcNow + timeout;
        await Task.WhenAll(workers.Select(async w =>
        {
            if (graceful)
            {
                while (w.InFlight > 0 && !w.HasExited && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10);
                }
            }

            w.Terminate();
            var left = deadline - DateTime.UtcNow;
            if (!await w.WaitExitAsync(graceful && left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)))
            {
                w.Kill();
                await w.WaitExitAsync(TimeSpan.FromSeconds(2));
            }
        }));

        await StopLoadersAsync();
        if (RunDirectory.Length > 0)
        {
            try
            {
                Directory.Delete(RunDirectory, recursive: true);
            }
            catch (IOException e)
            {
                _log(ErrorLevel.Warn, $"app \"{Name}\": cannot remove \"{RunDirectory}\" ({e.Message})");
            }
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(graceful: false, TimeSpan.FromSeconds(1)));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
