using System.Diagnostics;
using System.Globalization;
using NginxLite.Routing;
using NginxLite.Routing.Apps;

namespace NginxLite.Apps.Tests;

/// <summary>lazy_apps off for a Rack app: the Ruby shim's --loader parses config.ru once and forks the workers; respawn,
/// recycling, harakiri and chain reload fork again; a dead loader is started again; a config.ru that does not load is
/// need-app with the Ruby backtrace. Real ruby processes (Debian's ruby + ruby-rack).</summary>
public sealed class RackLoaderPoolTests : IDisposable
{
    /// <summary>Appends its pid to loads.txt when config.ru is parsed; / answers "pid=P ppid=Q uid=U v=1".</summary>
    private const string CountingRackup = """
        File.open(File.join(__dir__, 'loads.txt'), 'a') { |f| f.puts Process.pid }
        TAG = 'v=1'
        run(lambda do |env|
          sleep 30 if env['PATH_INFO'] == '/sleep'
          body = "pid=#{Process.pid} ppid=#{Process.ppid} uid=#{Process.uid} #{TAG}"
          [200, { 'Content-Type' => 'text/plain', 'Content-Length' => body.bytesize.to_s }, [body]]
        end)
        """;

    private const string BrokenRackup = "require 'no_such_gem_here'\nrun ->(env) { [200, {}, []] }\n";

    private readonly PoolFixture _f = new();

    public RackLoaderPoolTests()
    {
        _f.Dir.File("config.ru", CountingRackup);
        _f.Dir.File("broken.ru", BrokenRackup);
        var loads = Path.Combine(_f.Dir.Path, "loads.txt");
        File.WriteAllText(loads, "");
        File.SetUnixFileMode(loads, (UnixFileMode)Convert.ToInt32("666", 8)); // the workers run as nobody
    }

    public void Dispose() => _f.Dispose();

    private AppSettings Forking(int processes = 2, string rackup = "config.ru") =>
        new("t") { Rack = Path.Combine(_f.Dir.Path, rackup), Chdir = _f.Dir.Path, Processes = processes, LazyApps = false };

    private string[] Loads => File.ReadAllLines(Path.Combine(_f.Dir.Path, "loads.txt"));

    private static int ParentOf(int pid) => LoaderPoolTests.ParentOf(pid);

    private static Task WaitUntilAsync(Func<bool> done) => LoaderPoolTests.WaitUntilAsync(done);

    [Fact]
    public async Task RackLazyAppsOff_Start_ConfigRuLoadedOnce_WorkersAreChildrenOfTheLoader()
    {
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
    public async Task RackLazyAppsOff_StartedAsRoot_LoaderAndWorkersRunAsNobody()
    {
        Assert.Equal(0u, Handlers.Posix.UnixAccount.EffectiveUid); // the test machine runs as root, as CI does
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);

        var pids = pool.Workers.Select(w => w!.Pid).Append(pool.CurrentLoader!.Pid);
        Assert.All(pids, pid => Assert.Equal("65534", RealUid(pid))); // nobody: no app user, no `user` directive
        Assert.Contains("uid=65534 ", await AppPoolTests.GetAsync(pool));
    }

    [Fact]
    public async Task RackLazyAppsOff_WorkerKilledWithSignal9_RespawnedByAFork()
    {
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var loader = pool.CurrentLoader!;
        var victim = pool.Workers[0]!;

        Process.GetProcessById(victim.Pid).Kill();
        await WaitUntilAsync(() => pool.Workers[0] != victim && pool.Workers[0] is { IsReady: true });

        var respawned = pool.Workers[0]!;
        Assert.NotSame(victim, respawned);
        Assert.Equal(loader.Pid, ParentOf(respawned.Pid));
        Assert.Single(Loads); // a fork, not a new parse of config.ru
        Assert.Contains(_f.Log, l => l.Message.Contains($"DAMN ! worker 1 (pid: {victim.Pid}) died (killed by signal 9), respawning", StringComparison.Ordinal));
        Assert.StartsWith("HTTP/1.1 200 OK", await AppPoolTests.GetAsync(pool));
    }

    [Fact]
    public async Task RackLazyAppsOff_ChainReload_NewLoaderLoadsNewCode_WorkersForkedFromIt()
    {
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var old = pool.CurrentLoader!;
        var oldWorkers = pool.Workers.Select(w => w!).ToList();
        _f.Dir.File("config.ru", CountingRackup.Replace("v=1", "v=2", StringComparison.Ordinal));

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
    }

    [Fact]
    public async Task RackLazyAppsOff_ChainReloadWithBrokenCode_OldLoaderAndWorkersKeepServing()
    {
        await using var pool = await AppPool.StartAsync(Forking(), null, null, _f.Writer);
        var old = pool.CurrentLoader!;
        var oldPids = pool.Workers.Select(w => w!.Pid).ToList();
        _f.Dir.File("config.ru", BrokenRackup);

        await pool.ChainReloadAsync();

        Assert.Same(old, pool.CurrentLoader);
        Assert.Equal(oldPids, pool.Workers.Select(w => w!.Pid));
        Assert.EndsWith(" v=1", await AppPoolTests.GetAsync(pool));
        Assert.Contains(_f.Log, l => l.Level == ErrorLevel.Error
            && l.Message.Contains("failed to load (the app could not be imported, exit status 22); reload stopped, the old loader and workers keep serving", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RackLazyAppsOff_LoaderKilled_NewLoaderStarted_WorkersKeepServing()
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
    public async Task RackLazyAppsOff_Harakiri_WorkerKilled_ReplacementForked()
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
        Assert.Contains($"ppid={loader.Pid} ", await AppPoolTests.GetAsync(pool)); // waits for the fork
        Assert.NotSame(worker, pool.Workers[0]);
        Assert.Single(Loads);
        Assert.Contains(_f.Log, l => l.Message.Contains($"DAMN ! worker 1 (pid: {worker.Pid}) died (killed by signal 9)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RackLazyAppsOff_MaxRequests_WorkerRecycledByAFork()
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
        Assert.Single(Loads);
    }

    [Fact]
    public async Task RackLazyAppsOff_LoadError_LoadFailure_WithTheRubyBacktrace()
    {
        var e = await Assert.ThrowsAsync<AppLoadException>(() =>
            AppPool.StartAsync(Forking(rackup: "broken.ru"), null, null, _f.Writer));

        Assert.Equal("app \"t\" failed to load (the app could not be imported, exit status 22)", e.Message);
        var lines = _f.Log.Where(l => l.Level == ErrorLevel.Error && l.Message.Contains("loader (pid:", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.Contains(lines, l => l.Contains("LoadError: cannot load such file -- no_such_gem_here", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("broken.ru:1:in ", StringComparison.Ordinal)); // the backtrace names config.ru's line
    }

    [Fact]
    public async Task RackLazyAppsOff_Stop_LoaderAndWorkersGone_RunDirRemoved()
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

    private static string RealUid(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
}
