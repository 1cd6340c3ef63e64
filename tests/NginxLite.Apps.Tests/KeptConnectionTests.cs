using System.Diagnostics;

namespace NginxLite.Apps.Tests;

/// <summary>app_pass's kept connections (docs/apps.md, "What app_pass sends"): one connection slot per worker thread,
/// kept open after a framed response read to its end frame, a queue when every slot is busy, and the kept connections
/// of a worker that goes closed with it.</summary>
public sealed class KeptConnectionTests : IDisposable
{
    private readonly PoolFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static async Task<(WorkerLease Lease, string Response)> FramedGetAsync(AppPool pool, bool reusable = true)
    {
        var lease = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!;
        var response = await UwsgiRequest.GetFramedAsync(lease.Socket, "/");
        lease.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(response), response.Length, reusable);
        return (lease, response);
    }

    [Fact]
    public async Task Connect_FramedResponseReadToItsEnd_NextRequestReusesTheConnection()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);

        var (first, firstResponse) = await FramedGetAsync(pool);
        var (second, secondResponse) = await FramedGetAsync(pool);

        Assert.StartsWith("HTTP/1.1 200 OK", firstResponse);
        Assert.StartsWith("HTTP/1.1 200 OK", secondResponse);
        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.True(first.Framed);
        Assert.Same(first.Socket, second.Socket);
        Assert.Equal(2, pool.Workers[0]!.Served);
    }

    [Fact]
    public async Task Connect_ResponseNotReusable_NextRequestConnectsAnew()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);

        var (first, _) = await FramedGetAsync(pool, reusable: false);
        var (second, secondResponse) = await FramedGetAsync(pool);

        Assert.False(second.Reused);
        Assert.NotSame(first.Socket, second.Socket);
        Assert.StartsWith("HTTP/1.1 200 OK", secondResponse);
    }

    [Fact]
    public async Task Connect_EverySlotBusy_WaitsUntilOneIsGivenBack()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        var busy = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!;

        var waiting = pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted); // one thread, one connection: the second request queues in the master
        var response = await UwsgiRequest.GetFramedAsync(busy.Socket, "/");
        busy.End(AppLeaseFailure.None, 200, response.Length, reusable: true);
        var next = (WorkerLease)(await waiting)!;

        Assert.Same(busy.Worker, next.Worker);
        Assert.True(next.Reused);
        Assert.StartsWith("HTTP/1.1 200 OK", await UwsgiRequest.GetFramedAsync(next.Socket, "/"));
        next.End(AppLeaseFailure.None, 200, 0, reusable: true);
        Assert.Equal(0, pool.Workers[0]!.InFlight);
    }

    /// <summary>Imports normally until dying.flag exists, then exits at import (a deploy that broke the app).</summary>
    private const string DyingApp = """
        import os, sys
        if os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), "dying.flag")):
            sys.exit(3)

        def application(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        """;

    [Fact]
    public async Task Connect_QueuedWhileEveryWorkerDiesAndRespawnFails_NoWorkerAfterTheConnectBound()
    {
        _f.Dir.File("dying.py", DyingApp);
        await using var pool = await AppPool.StartAsync(_f.Settings("dying", processes: 1), null, null, _f.Writer);
        var busy = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!;
        var waiting = pool.ConnectAsync(TimeSpan.FromSeconds(2), CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted); // queued behind the busy worker: no bound while it lives

        _f.Dir.File("dying.flag", "");
        Process.GetProcessById(busy.Worker.Pid).Kill();
        // The guard only catches a wait with no bound (the bug): the bound itself is the 2 s connect timeout.
        var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        busy.End(AppLeaseFailure.ConnectionLost, 0, 0);

        Assert.Null(lease); // app_pass answers 502 "no live upstreams while connecting to upstream"
        Assert.True(busy.Worker.HasExited);
        await ForkingPoolTests.WaitUntilAsync(() => _f.Log.Any(l => l.Message.Contains("worker 1 failed to start", StringComparison.Ordinal)));
        Assert.Contains(_f.Log, l => l.Level == Routing.ErrorLevel.Error && l.Message.Contains("app \"t\": worker 1 failed to start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_QueuedWhileTheOnlyWorkerIsKilled_RespawnedWorkerServesIt()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        var busy = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!;
        var waiting = pool.ConnectAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();

        Process.GetProcessById(busy.Worker.Pid).Kill();
        var next = (WorkerLease?)await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        busy.End(AppLeaseFailure.ConnectionLost, 0, 0);

        Assert.NotNull(next); // the bound leaves room for the respawn: a kill -9 fails only the request in flight
        Assert.NotSame(busy.Worker, next.Worker);
        Assert.StartsWith("HTTP/1.1 200 OK", await UwsgiRequest.GetFramedAsync(next.Socket, "/"));
        next.End(AppLeaseFailure.None, 200, 0, reusable: true);
    }

    [Fact]
    public async Task RequestEnded_StaleKeptConnectionRetriedOnAFreshOne_CountedOnceTowardMaxRequests()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        await FramedGetAsync(pool);

        // app_pass's stale path (CgiUpstreamHandler.Pool): the kept connection failed before any response byte, the
        // lease ends with status 0 and the request goes again on a fresh connection, here to the same worker.
        var stale = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!;
        Assert.True(stale.Reused);
        stale.End(AppLeaseFailure.None, status: 0, responseBytes: 0);
        var (retry, response) = await FramedGetAsync(pool);

        Assert.False(retry.Reused);
        Assert.Same(stale.Worker, retry.Worker);
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.Equal(2, retry.Worker.Served);
        Assert.Equal(0, retry.Worker.InFlight);
    }

    [Fact]
    public async Task Connect_WaiterGivesUp_SlotGoesToTheNextRequest()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        var busy = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!;
        using var cancel = new CancellationTokenSource();

        var abandoned = pool.ConnectAsync(TimeSpan.FromSeconds(10), cancel.Token).AsTask();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        busy.End(AppLeaseFailure.None, 0, 0);
        var (next, response) = await FramedGetAsync(pool);

        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.Equal(0, pool.Workers[0]!.InFlight);
    }

    [Fact]
    public async Task Connect_WorkerKilledWithAKeptConnection_RespawnServesOnAFreshConnection()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        var (kept, _) = await FramedGetAsync(pool);
        var victim = kept.Worker;

        Process.GetProcessById(victim.Pid).Kill();
        var clock = Stopwatch.StartNew();
        while (pool.Workers[0] == victim && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        var (next, response) = await FramedGetAsync(pool);
        Assert.NotSame(victim, next.Worker);
        Assert.False(next.Reused); // the dead worker's kept connection went with it
        Assert.StartsWith("HTTP/1.1 200 OK", response);
    }

    [Fact]
    public async Task Stop_GracefulWithAKeptConnection_WorkerExitsZero()
    {
        var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        await FramedGetAsync(pool);
        var worker = pool.Workers[0]!;

        await pool.StopAsync(graceful: true, TimeSpan.FromSeconds(10));

        Assert.True(worker.HasExited);
        Assert.Equal(0, worker.ExitCode); // SIGTERM ended it (a kept connection does not hold it to the SIGKILL)
    }

    [Fact]
    public async Task Recycle_MaxRequestsWithKeptConnections_NoFailedRequestAndOldWorkerExitsZero()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1) with { MaxRequests = 3 }, null, null, _f.Writer);
        var first = pool.Workers[0]!;

        var statuses = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await FramedGetAsync(pool)).Response[..15]);
        }

        await first.WaitExitAsync(TimeSpan.FromSeconds(20));
        Assert.All(statuses, s => Assert.Equal("HTTP/1.1 200 OK", s));
        Assert.True(first.HasExited);
        Assert.Equal(0, first.ExitCode);
        Assert.NotSame(first, pool.Workers[0]);
    }
}
