using System.Diagnostics;
using NginxLite.Routing;

namespace NginxLite.Apps.Tests;

/// <summary>The supervisor with real python3 workers running the shim (issue 6): start, choice, respawn, recycling,
/// harakiri, load failure, vacuum, privileges.</summary>
public sealed class AppPoolTests : IDisposable
{
    private readonly PoolFixture _f = new();

    public void Dispose() => _f.Dispose();

    internal static async Task<string> GetAsync(AppPool pool, string path = "/")
    {
        var lease = await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.NotNull(lease);
        var response = "";
        try
        {
            response = await UwsgiRequest.GetAsync(lease.Socket, path);
            return response;
        }
        finally
        {
            lease.Socket.Dispose();
            lease.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(response), System.Text.Encoding.UTF8.GetByteCount(response));
        }
    }

    private static string Status(string path, string key) =>
        File.ReadLines(path).First(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();

    [Fact]
    public async Task Start_TwoProcesses_BothReadyAndServing()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 2), null, null, _f.Writer);

        Assert.Equal(2, pool.Workers.Count(w => w is { IsReady: true }));
        var response = await GetAsync(pool);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        Assert.Contains("pid=", response);
        Assert.Contains(_f.Log, l => l.Message.Contains("app \"t\" started 2 worker(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_AsRoot_WorkerUidAndGidAreNotZero()
    {
        Assert.Equal(0u, Handlers.Posix.UnixAccount.EffectiveUid); // the test machine runs as root, as CI does
        await using var pool = await AppPool.StartAsync(_f.Settings(), null, null, _f.Writer);

        var pid = pool.Workers[0]!.Pid;
        var uids = Status($"/proc/{pid}/status", "Uid").Split('\t', StringSplitOptions.RemoveEmptyEntries);
        var gids = Status($"/proc/{pid}/status", "Gid").Split('\t', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(uids, u => Assert.NotEqual("0", u));
        Assert.All(gids, g => Assert.NotEqual("0", g));
        Assert.Equal("65534", uids[0]); // nobody: no app user, no `user` directive
        Assert.Contains("uid=65534", await GetAsync(pool));
    }

    [Fact]
    public async Task Start_AppUserAndOtherGroup_WorkerRunsAsThem()
    {
        TestSupport.TestUsers.Ensure();
        var settings = _f.Settings() with { User = TestSupport.TestUsers.Cgi, Group = TestSupport.TestUsers.ExtraGroup };
        await using var pool = await AppPool.StartAsync(settings, null, null, _f.Writer);

        var pid = pool.Workers[0]!.Pid;
        var uids = Status($"/proc/{pid}/status", "Uid").Split('\t', StringSplitOptions.RemoveEmptyEntries);
        var gids = Status($"/proc/{pid}/status", "Gid").Split('\t', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(uids, u => Assert.Equal(TestSupport.TestUsers.Uid(TestSupport.TestUsers.Cgi).ToString(System.Globalization.CultureInfo.InvariantCulture), u));
        Assert.All(gids, g => Assert.Equal(TestSupport.TestUsers.Gid(TestSupport.TestUsers.ExtraGroup).ToString(System.Globalization.CultureInfo.InvariantCulture), g));
        Assert.StartsWith("HTTP/1.1 200 OK", await GetAsync(pool));
    }

    [Fact]
    public async Task Start_RunDirectory_PrivateToTheWorkerUser_RemovedOnStop()
    {
        var pool = await AppPool.StartAsync(_f.Settings(), null, null, _f.Writer);
        var dir = pool.RunDirectory;
        var status = Handlers.Posix.FileStatus.Get(dir)!.Value;
        Assert.Equal(65534u, status.Uid);
        Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), status.Mode & (UnixFileMode)Convert.ToInt32("777", 8));
        Assert.True(File.Exists(Path.Combine(dir, "nginxlite_wsgi.py")));
        Assert.Single(Directory.GetFiles(dir, "*.sock"));

        await pool.StopAsync(graceful: true, TimeSpan.FromSeconds(5));

        Assert.False(Directory.Exists(dir));
        Assert.All(pool.Workers, w => Assert.True(w!.HasExited));
    }

    [Fact]
    public async Task Connect_OneWorkerBusy_TheOtherIsChosen_ThenTheIdleOne()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 2), null, null, _f.Writer);

        var first = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(5), CancellationToken.None))!;
        var second = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(5), CancellationToken.None))!;
        Assert.NotSame(first.Worker, second.Worker);
        first.Socket.Dispose();
        first.End(AppLeaseFailure.None, 0, 0);
        var third = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(5), CancellationToken.None))!;

        Assert.Same(first.Worker, third.Worker); // 0 in flight beats 1
        second.Socket.Dispose();
        second.End(AppLeaseFailure.None, 0, 0);
        third.Socket.Dispose();
        third.End(AppLeaseFailure.None, 0, 0);
        Assert.All(pool.Workers, w => Assert.Equal(0, w!.InFlight));
    }

    [Fact]
    public async Task Worker_KilledWithSignal9_RespawnedAtOnce()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 2), null, null, _f.Writer);
        var victim = pool.Workers[0]!;

        var clock = Stopwatch.StartNew();
        Process.GetProcessById(victim.Pid).Kill();
        while (pool.Workers[0] == victim && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        var respawned = pool.Workers[0]!;
        Assert.NotSame(victim, respawned);
        Assert.True(respawned.IsReady);
        Assert.Contains(_f.Log, l => l.Message.Contains($"DAMN ! worker 1 (pid: {victim.Pid}) died (killed by signal 9), respawning", StringComparison.Ordinal));
        Assert.DoesNotContain(_f.Log, l => l.Message.Contains("retrying in", StringComparison.Ordinal)); // no backoff for a first death
        Assert.StartsWith("HTTP/1.1 200 OK", await GetAsync(pool));
        Console.WriteLine($"respawned in {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task MaxRequests_Reached_WorkerRecycled_NoRequestFails()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings() with { MaxRequests = 3 }, null, null, _f.Writer);

        var pids = new HashSet<string>();
        var failures = 0;
        // The old worker serves on until its replacement is ready: keep the load on until a second pid answered.
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(60) && (pids.Count < 3 || i < 12); i++)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => GetAsync(pool)));
            foreach (var r in batch)
            {
                if (!r.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal))
                {
                    failures++;
                }
                else
                {
                    pids.Add(r[r.IndexOf("pid=", StringComparison.Ordinal)..].Split(' ')[0]);
                }
            }
        }

        Assert.Equal(0, failures);
        Assert.True(pids.Count >= 3, string.Join(",", pids) + "\n" + _f.LogText);
        Assert.Contains(_f.Log, l => l.Message.Contains("max_requests 3 reached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReloadOnRss_Exceeded_WorkerRecycled()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings() with { ReloadOnRss = 40L << 20 }, null, null, _f.Writer);
        var before = pool.Workers[0]!;

        Assert.StartsWith("HTTP/1.1 200 OK", await GetAsync(pool, "/rss"));
        var clock = Stopwatch.StartNew();
        while (pool.Workers[0] == before && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        Assert.NotSame(before, pool.Workers[0]);
        Assert.Contains(_f.Log, l => l.Message.Contains("over reload_on_rss", StringComparison.Ordinal));
        await before.WaitExitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, before.ExitCode); // SIGTERM: the shim's graceful exit
    }

    [Fact]
    public async Task Harakiri_RequestTooLong_WorkerKilledAndRespawned()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings() with { Harakiri = TimeSpan.FromSeconds(1) }, null, null, _f.Writer);
        var worker = pool.Workers[0]!;

        var lease = (await pool.ConnectAsync(TimeSpan.FromSeconds(5), CancellationToken.None))!;
        var response = await UwsgiRequest.GetAsync(lease.Socket, "/sleep");
        lease.Socket.Dispose();
        lease.End(AppLeaseFailure.ConnectionLost, 0, 0);

        Assert.Equal("", response);
        Assert.True(lease.KilledByHarakiri);
        Assert.Contains(_f.Log, l => l.Message == $"app \"t\": *** HARAKIRI ON WORKER 1 (pid: {worker.Pid}, try: 1) ***");
        Assert.StartsWith("HTTP/1.1 200 OK", await GetAsync(pool)); // waits for the respawned worker
        Assert.NotSame(worker, pool.Workers[0]);
    }

    [Fact]
    public async Task Start_ImportError_LoadFailure_WithTheTraceback()
    {
        var runDirs = Directory.GetDirectories(Path.GetTempPath(), "nginxlite-app-t-*").Length;

        var e = await Assert.ThrowsAsync<AppLoadException>(() => AppPool.StartAsync(_f.Settings("broken"), null, null, _f.Writer));

        Assert.Equal("app \"t\" failed to load (the app could not be imported, exit status 22)", e.Message);
        Assert.Contains(_f.Log, l => l.Level == ErrorLevel.Error && l.Message.Contains("ModuleNotFoundError: No module named 'no_such_module_here'", StringComparison.Ordinal));
        Assert.Contains(_f.Log, l => l.Message.Contains("Traceback (most recent call last):", StringComparison.Ordinal));
        Assert.True(Directory.GetDirectories(Path.GetTempPath(), "nginxlite-app-t-*").Length <= runDirs); // its run dir is gone
    }

    [Fact]
    public async Task StopFast_RequestInFlight_WorkersGone()
    {
        var pool = await AppPool.StartAsync(_f.Settings(processes: 2), null, null, _f.Writer);
        var lease = (await pool.ConnectAsync(TimeSpan.FromSeconds(5), CancellationToken.None))!;
        var sleeping = UwsgiRequest.GetAsync(lease.Socket, "/sleep");

        await pool.StopAsync(graceful: false, TimeSpan.FromSeconds(2));

        Assert.All(pool.Workers, w => Assert.True(w!.HasExited));
        Assert.False(Directory.Exists(pool.RunDirectory));
        await sleeping;
        lease.Socket.Dispose();
        lease.End(AppLeaseFailure.ConnectionLost, 0, 0);
    }
}
