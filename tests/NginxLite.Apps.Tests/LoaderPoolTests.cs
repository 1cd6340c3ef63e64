using System.Diagnostics;
using System.Globalization;
using NginxLite.Routing;
using NginxLite.Routing.Apps;

namespace NginxLite.Apps.Tests;

/// <summary>lazy_apps off (uWSGI's default): the app imported once by a loader, the workers forked from it; respawn,
/// recycling, harakiri and chain reload fork again; a dead loader is started again. Real python3 processes.</summary>
public sealed class LoaderPoolTests : IDisposable
{
    /// <summary>Appends its pid to imports.txt at import time; / answers "pid=P ppid=Q v=1".</summary>
    private const string CountingApp = """
        import os, time
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "imports.txt"), "a") as f:
            f.write("%d\n" % os.getpid())
        VERSION = "v=1"

        def application(environ, start_response):
            if environ["PATH_INFO"] == "/sleep":
                time.sleep(30)
            body = ("pid=%d ppid=%d %s" % (os.getpid(), os.getppid(), VERSION)).encode()
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        """;

    private readonly PoolFixture _f = new();

    public LoaderPoolTests()
    {
        _f.Dir.File("counting.py", CountingApp);
        var imports = Path.Combine(_f.Dir.Path, "imports.txt");
        File.WriteAllText(imports, "");
        File.SetUnixFileMode(imports, (UnixFileMode)Convert.ToInt32("666", 8)); // the workers run as nobody
    }

    public void Dispose() => _f.Dispose();

    private AppSettings Forking(int processes = 2) => _f.Settings("counting", processes) with { LazyApps = false };

    private string[] Imports => File.ReadAllLines(Path.Combine(_f.Dir.Path, "imports.txt"));

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

    [Fact]
    public async Task LazyAppsOff_Start_AppImportedOnce_WorkersAreChildrenOfTheLoader()
    {
        await using var pool = await AppPool.StartAsync(Forking(processes: 3), null, null, _f.Writer);

        var loader = pool.CurrentLoader;
        Assert.NotNull(loader);
        Assert.Equal([loader.Pid.ToString(CultureInfo.InvariantCulture)], Imports);
        Assert.Equal(Environment.ProcessId, ParentOf(loader.Pid));
        Assert.All(pool.Workers, w => Assert.Equal(loader.Pid, ParentOf(w!.Pid)));
        Assert.Equal(3, pool.Workers.Select(w => w!.Pid).Distinct().Count());
        var response = await AppPoolTests.GetAsync(pool);
        Assert.Contains($"ppid={loader.Pid} v=1", response);
        Assert.Contains(_f.Log, l => l.Message.Contains($"loader (pid: {loader.Pid}) imported the app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LazyAppsOff_WorkerKilledWithSignal9_RespawnedByAFork()
    {
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var loader = pool.CurrentLoader!;
        var victim = pool.Workers[0]!;

        Process.GetProcessById(victim.Pid).Kill();
        await WaitUntilAsync(() => pool.Workers[0] != victim && pool.Workers[0] is { IsReady: true });

        var respawned = pool.Workers[0]!;
        Assert.NotSame(victim, respawned);
        Assert.Equal(loader.Pid, ParentOf(respawned.Pid));
        Assert.Single(Imports); // a fork, not a new import
        Assert.Contains(_f.Log, l => l.Message.Contains($"DAMN ! worker 1 (pid: {victim.Pid}) died (killed by signal 9), respawning", StringComparison.Ordinal));
        Assert.StartsWith("HTTP/1.1 200 OK", await AppPoolTests.GetAsync(pool));
    }

    [Fact]
    public async Task LazyAppsOff_ChainReload_NewLoaderImportsNewCode_WorkersForkedFromIt()
    {
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var old = pool.CurrentLoader!;
        var oldWorkers = pool.Workers.Select(w => w!).ToList();
        _f.Dir.File("counting.py", CountingApp.Replace("v=1", "v=2", StringComparison.Ordinal));

        await pool.ChainReloadAsync();

        var fresh = pool.CurrentLoader!;
        Assert.NotEqual(old.Pid, fresh.Pid);
        Assert.Equal(2, Imports.Length);
        Assert.All(pool.Workers, w => Assert.Equal(fresh.Pid, ParentOf(w!.Pid)));
        Assert.Contains("v=2", await AppPoolTests.GetAsync(pool));
        Assert.Contains("v=2", await AppPoolTests.GetAsync(pool));
        // The old loader leaves once the old workers it forked have drained and exited.
        await WaitUntilAsync(() => old.Process.HasExited && oldWorkers.All(w => w.HasExited));
        Assert.True(old.Process.HasExited);
        Assert.Equal(0, old.Process.ExitCode);
    }

    [Fact]
    public async Task LazyAppsOff_LoaderKilled_NewLoaderStarted_WorkersKeepServing()
    {
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
        await using var pool = await AppPool.StartAsync(Forking(processes: 1) with { Harakiri = TimeSpan.FromSeconds(1) }, null, null, _f.Writer);
        var loader = pool.CurrentLoader!;
        var worker = pool.Workers[0]!;

        var lease = (await pool.ConnectAsync(TimeSpan.FromSeconds(5), CancellationToken.None))!;
        var response = await UwsgiRequest.GetAsync(lease.Socket, "/sleep");
        lease.Socket.Dispose();
        lease.End(failed: true, 0, 0);

        Assert.Equal("", response);
        Assert.True(lease.KilledByHarakiri);
        Assert.Contains($"ppid={loader.Pid}", await AppPoolTests.GetAsync(pool)); // waits for the fork
        Assert.NotSame(worker, pool.Workers[0]);
        Assert.Single(Imports);
        Assert.Contains(_f.Log, l => l.Message.Contains($"DAMN ! worker 1 (pid: {worker.Pid}) died (killed by signal 9)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LazyAppsOff_MaxRequests_WorkerRecycledByAFork()
    {
        await using var pool = await AppPool.StartAsync(Forking(processes: 1) with { MaxRequests = 2 }, null, null, _f.Writer);
        var loader = pool.CurrentLoader!;
        var first = pool.Workers[0]!;

        Assert.StartsWith("HTTP/1.1 200 OK", await AppPoolTests.GetAsync(pool));
        Assert.StartsWith("HTTP/1.1 200 OK", await AppPoolTests.GetAsync(pool));
        await WaitUntilAsync(() => pool.Workers[0] != first);
        await first.WaitExitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, first.ExitCode); // SIGTERM, graceful; the status comes from the loader that reaped it
        Assert.Equal(loader.Pid, ParentOf(pool.Workers[0]!.Pid));
        Assert.Single(Imports);
    }

    [Fact]
    public async Task LazyAppsOff_ImportError_LoadFailure_WithTheTraceback()
    {
        var e = await Assert.ThrowsAsync<AppLoadException>(() =>
            AppPool.StartAsync(_f.Settings("broken") with { LazyApps = false }, null, null, _f.Writer));

        Assert.Equal("app \"t\" failed to load (the app could not be imported, exit status 22)", e.Message);
        Assert.Contains(_f.Log, l => l.Level == ErrorLevel.Error && l.Message.Contains("loader (pid:", StringComparison.Ordinal)
            && l.Message.Contains("ModuleNotFoundError: No module named 'no_such_module_here'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LazyAppsOff_Stop_LoaderAndWorkersGone_RunDirRemoved()
    {
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
