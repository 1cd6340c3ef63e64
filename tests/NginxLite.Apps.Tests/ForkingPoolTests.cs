using System.Diagnostics;
using System.Globalization;
using NginxLite.Routing;
using NginxLite.Routing.Apps;

namespace NginxLite.Apps.Tests;

/// <summary>
/// lazy_apps off (uWSGI's default), the same for every shim: the app loaded once by a loader, the workers forked from
/// it; respawn, recycling, harakiri and chain reload fork again; a new loader whose code does not load leaves the old
/// one serving; a dead loader is started again; an app that does not load at start is need-app with the language's
/// own traceback. Each shim's class says how its app is written (<see cref="LoaderPoolTests"/> for WSGI,
/// <see cref="RackLoaderPoolTests"/> for Rack) and runs every test here with real interpreter processes.
/// </summary>
public abstract class ForkingPoolTests : IDisposable
{
    private readonly PoolFixture _f = new();

    private protected ForkingPoolTests()
    {
        var loads = Path.Combine(_f.Dir.Path, "loads.txt");
        File.WriteAllText(loads, "");
        File.SetUnixFileMode(loads, (UnixFileMode)Convert.ToInt32("666", 8)); // the workers run as nobody
    }

    private protected PoolFixture Fixture => _f;

    /// <summary>The pool's settings with lazy_apps off, for the app <see cref="WriteApp"/> wrote last.</summary>
    private protected abstract AppSettings Forking(int processes = 2);

    /// <summary>Writes the app: at load time it appends its pid to loads.txt; / answers "pid=P ppid=Q uid=U VERSION",
    /// /sleep sleeps 30 s.</summary>
    private protected abstract void WriteApp(string version);

    /// <summary>Writes an app whose load fails (a missing module or gem).</summary>
    private protected abstract void WriteBrokenApp();

    /// <summary>Error-log lines the loader's traceback must hold when <see cref="WriteBrokenApp"/>'s app is loaded.</summary>
    private protected abstract string[] LoadErrorLines { get; }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    private string[] Loads => File.ReadAllLines(Path.Combine(_f.Dir.Path, "loads.txt"));

    internal static int ParentOf(int pid)
    {
        // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    internal static async Task WaitUntilAsync(Func<bool> done, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(20);
        }
    }

    private static string RealUid(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    [Fact]
    public async Task LazyAppsOff_Start_AppLoadedOnce_WorkersAreChildrenOfTheLoader()
    {
        WriteApp("v=1");
        await using var pool = await AppPool.StartAsync(Forking(processes: 3), null, null, _f.Writer);

        var loader = pool.CurrentLoader;
        Assert.NotNull(loader);
        Assert.Equal([loader.Pid.ToString(CultureInfo.InvariantCulture)], Loads);
        Assert.Equal(Environment.ProcessId, ParentOf(loader.Pid));
        Assert.All(pool.Workers, w => Assert.Equal(loader.Pid, ParentOf(w!.Pid)));
        Assert.Equal(3, pool.Workers.Select(w => w!.Pid).Distinct().Count());
        var response = await AppPoolTests.GetAsync(pool);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        Assert.Contains($"ppid={loader.Pid} ", response);
        Assert.EndsWith(" v=1", response);
        Assert.Contains(_f.Log, l => l.Message.Contains($"loader (pid: {loader.Pid}) imported the app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LazyAppsOff_StartedAsRoot_LoaderAndWorkersRunAsNobody()
    {
        Assert.Equal(0u, Handlers.Posix.UnixAccount.EffectiveUid); // the test machine runs as root, as CI does
        WriteApp("v=1");
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);

        var pids = pool.Workers.Select(w => w!.Pid).Append(pool.CurrentLoader!.Pid);
        Assert.All(pids, pid => Assert.Equal("65534", RealUid(pid))); // nobody: no app user, no `user` directive
        Assert.Contains("uid=65534 ", await AppPoolTests.GetAsync(pool));
    }

    [Fact]
    public async Task LazyAppsOff_WorkerKilledWithSignal9_RespawnedByAFork()
    {
        WriteApp("v=1");
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var loader = pool.CurrentLoader!;
        var victim = pool.Workers[0]!;

        Process.GetProcessById(victim.Pid).Kill();
        await WaitUntilAsync(() => pool.Workers[0] != victim && pool.Workers[0] is { IsReady: true });

        var respawned = pool.Workers[0]!;
        Assert.NotSame(victim, respawned);
        Assert.Equal(loader.Pid, ParentOf(respawned.Pid));
        Assert.Single(Loads); // a fork, not a new load of the app
        Assert.Contains(_f.Log, l => l.Message.Contains($"DAMN ! worker 1 (pid: {victim.Pid}) died (killed by signal 9), respawning", StringComparison.Ordinal));
        Assert.StartsWith("HTTP/1.1 200 OK", await AppPoolTests.GetAsync(pool));
    }

    [Fact]
    public async Task LazyAppsOff_ChainReload_NewLoaderLoadsNewCode_WorkersForkedFromIt()
    {
        WriteApp("v=1");
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var old = pool.CurrentLoader!;
        var oldWorkers = pool.Workers.Select(w => w!).ToList();
        WriteApp("v=2");

        await pool.ChainReloadAsync();

        var fresh = pool.CurrentLoader!;
        Assert.NotEqual(old.Pid, fresh.Pid);
        Assert.Equal(2, Loads.Length);
        Assert.All(pool.Workers, w => Assert.Equal(fresh.Pid, ParentOf(w!.Pid)));
        Assert.EndsWith(" v=2", await AppPoolTests.GetAsync(pool));
        Assert.EndsWith(" v=2", await AppPoolTests.GetAsync(pool));
        // The old loader leaves once the old workers it forked have drained and exited.
        await WaitUntilAsync(() => old.Process.HasExited && oldWorkers.All(w => w.HasExited));
        Assert.True(old.Process.HasExited);
        Assert.Equal(0, old.Process.ExitCode);
        // SIGTERM once drained, each reported by the retired loader that reaped it (the last one after the retire too).
        Assert.All(oldWorkers, w => Assert.Equal(0, w.ExitCode));
    }

    [Fact]
    public async Task LazyAppsOff_ChainReloadWithBrokenCode_OldLoaderAndWorkersKeepServing()
    {
        WriteApp("v=1");
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var old = pool.CurrentLoader!;
        var oldPids = pool.Workers.Select(w => w!.Pid).ToList();
        WriteBrokenApp();

        await pool.ChainReloadAsync();

        Assert.Same(old, pool.CurrentLoader);
        Assert.Equal(oldPids, pool.Workers.Select(w => w!.Pid));
        Assert.EndsWith(" v=1", await AppPoolTests.GetAsync(pool));
        Assert.Contains(_f.Log, l => l.Level == ErrorLevel.Error
            && l.Message.Contains("failed to load (the app could not be imported, exit status 22); reload stopped, the old loader and workers keep serving", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LazyAppsOff_LoaderKilled_NewLoaderStarted_WorkersKeepServing()
    {
        WriteApp("v=1");
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var old = pool.CurrentLoader!;

        Process.GetProcessById(old.Pid).Kill();
        await WaitUntilAsync(() => pool.CurrentLoader is { } l && l != old);

        var fresh = pool.CurrentLoader!;
        Assert.NotSame(old, fresh);
        Assert.Contains(_f.Log, l => l.Level == ErrorLevel.Alert && l.Message.Contains($"the loader (pid: {old.Pid}) died (killed by signal 9)", StringComparison.Ordinal));
        Assert.StartsWith("HTTP/1.1 200 OK", await AppPoolTests.GetAsync(pool)); // the orphaned workers still serve

        // A worker that dies now is forked by the new loader.
        var victim = pool.Workers[1]!;
        Process.GetProcessById(victim.Pid).Kill();
        await WaitUntilAsync(() => pool.Workers[1] != victim && pool.Workers[1] is { IsReady: true });
        Assert.Equal(fresh.Pid, ParentOf(pool.Workers[1]!.Pid));
    }

    [Fact]
    public async Task LazyAppsOff_Harakiri_WorkerKilled_ReplacementForked()
    {
        WriteApp("v=1");
        await using var pool = await AppPool.StartAsync(Forking(processes: 1) with { Harakiri = TimeSpan.FromSeconds(1) }, null, null, _f.Writer);
        var loader = pool.CurrentLoader!;
        var worker = pool.Workers[0]!;

        var lease = (await pool.ConnectAsync(TimeSpan.FromSeconds(5), CancellationToken.None))!;
        var response = await UwsgiRequest.GetAsync(lease.Socket, "/sleep");
        lease.Socket.Dispose();
        lease.End(AppLeaseFailure.ConnectionLost, 0, 0);

        Assert.Equal("", response);
        Assert.True(lease.KilledByHarakiri);
        Assert.Contains($"ppid={loader.Pid} ", await AppPoolTests.GetAsync(pool)); // waits for the fork
        Assert.NotSame(worker, pool.Workers[0]);
        Assert.Single(Loads);
        Assert.Contains(_f.Log, l => l.Message.Contains($"DAMN ! worker 1 (pid: {worker.Pid}) died (killed by signal 9)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LazyAppsOff_MaxRequests_WorkerRecycledByAFork()
    {
        WriteApp("v=1");
        await using var pool = await AppPool.StartAsync(Forking(processes: 1) with { MaxRequests = 2 }, null, null, _f.Writer);
        var loader = pool.CurrentLoader!;
        var first = pool.Workers[0]!;

        Assert.StartsWith("HTTP/1.1 200 OK", await AppPoolTests.GetAsync(pool));
        Assert.StartsWith("HTTP/1.1 200 OK", await AppPoolTests.GetAsync(pool));
        await WaitUntilAsync(() => pool.Workers[0] != first);
        await first.WaitExitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, first.ExitCode); // SIGTERM, graceful; the status comes from the loader that reaped it
        Assert.Equal(loader.Pid, ParentOf(pool.Workers[0]!.Pid));
        Assert.Single(Loads);
    }

    [Fact]
    public async Task LazyAppsOff_LoadError_LoadFailure_WithTheTraceback()
    {
        WriteBrokenApp();
        var e = await Assert.ThrowsAsync<AppLoadException>(() => AppPool.StartAsync(Forking(), null, null, _f.Writer));

        Assert.Equal("app \"t\" failed to load (the app could not be imported, exit status 22)", e.Message);
        var lines = _f.Log.Where(l => l.Level == ErrorLevel.Error && l.Message.Contains("loader (pid:", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.All(LoadErrorLines, expected => Assert.Contains(lines, l => l.Contains(expected, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LazyAppsOff_Stop_LoaderAndWorkersGone_RunDirRemoved()
    {
        WriteApp("v=1");
        var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var loader = pool.CurrentLoader!;
        var workers = pool.Workers.Select(w => w!).ToList();

        await pool.StopAsync(graceful: true, TimeSpan.FromSeconds(5));

        Assert.True(loader.Process.HasExited);
        Assert.Equal(0, loader.Process.ExitCode);
        Assert.All(workers, w => Assert.True(w.HasExited));
        Assert.All(workers, w => Assert.False(Directory.Exists($"/proc/{w.Pid}")));
        Assert.False(Directory.Exists(pool.RunDirectory));
    }
}
