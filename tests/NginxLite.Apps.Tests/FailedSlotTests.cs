using System.Diagnostics;
using System.Net.Sockets;

namespace NginxLite.Apps.Tests;

/// <summary>
/// The slot of a request that failed because its worker is dying (issue 6: "kill -9 a worker under load: at most the
/// in-flight request on that worker fails"): the worker closes the request's connection without a response, and the
/// pool sees its exit (pidfd, AppWorker.Exited) only a moment later. A request queued behind it must not be handed that
/// slot meanwhile (its connect would land in the dying worker's accept queue and be reset: a second failed request);
/// it is served by another worker or by the respawned one (docs/apps.md, "Kept connections").
/// </summary>
public sealed class FailedSlotTests : IDisposable
{
    /// <summary>/die waits for die.flag, then closes its connection to the master without a response, sleeps 200 ms
    /// (the pool has not seen anything die yet) and kills itself with SIGKILL; /linger does the same but waits for
    /// kill.flag instead of the 200 ms; /hold waits for hold.flag; every other
    /// path answers its pid. The flag waits are bounded (30 s) so a failing test leaves no stuck worker.</summary>
    private const string DyingApp = """
        import os, socket, time

        HERE = os.path.dirname(os.path.abspath(__file__))

        def _wait(name):
            deadline = time.monotonic() + 30
            while not os.path.exists(os.path.join(HERE, name)) and time.monotonic() < deadline:
                time.sleep(0.01)

        def application(environ, start_response):
            path = environ["PATH_INFO"]
            if path == "/die":
                _wait("die.flag")
                environ["wsgi.input"]._sock.shutdown(socket.SHUT_RDWR)
                time.sleep(0.2)
                os.kill(os.getpid(), 9)
            if path == "/linger":
                _wait("die.flag")
                environ["wsgi.input"]._sock.shutdown(socket.SHUT_RDWR)
                _wait("kill.flag")
                os.kill(os.getpid(), 9)
            if path == "/hold":
                _wait("hold.flag")
            body = ("pid=%d" % os.getpid()).encode()
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        """;

    private readonly PoolFixture _f = new();

    public FailedSlotTests()
    {
        _f.Dir.File("dyingapp.py", DyingApp);
    }

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Release_OnlyWorkerClosesWithoutResponseThenDies_QueuedRequestServedByTheRespawn()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings("dyingapp", processes: 1), null, null, _f.Writer);
        var dying = await LeaseAsync(pool);
        var dyingPid = dying.Worker.Pid;
        var died = SendAsync(dying, "/die");

        var queued = pool.ConnectAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        await WaitQueuedAsync(pool);
        _f.Dir.File("die.flag", "");
        var dieResponse = await died.WaitAsync(TimeSpan.FromSeconds(30));
        dying.End(AppLeaseFailure.ConnectionLost, UwsgiRequest.StatusOf(dieResponse), dieResponse.Length); // app_pass: premature close, 502

        var next = (WorkerLease?)await queued.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(next);
        var response = await SendAsync(next, "/");
        next.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(response), response.Length);

        Assert.Equal("", dieResponse); // the request in flight on the dying worker fails
        Assert.StartsWith("HTTP/1.1 200 OK", response); // the queued one does not
        Assert.DoesNotContain($"pid={dyingPid}", response);
        Assert.NotSame(dying.Worker, next.Worker);
    }

    [Fact]
    public async Task Release_WorkerClosesWithoutResponseThenDies_QueuedRequestServedByAnotherWorker()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings("dyingapp", processes: 2), null, null, _f.Writer);
        var dying = await LeaseAsync(pool);
        var dyingPid = dying.Worker.Pid;
        var died = SendAsync(dying, "/die");
        var held = await LeaseAsync(pool);
        Assert.NotSame(dying.Worker, held.Worker); // least busy: the other worker
        var holding = SendAsync(held, "/hold");

        var queued = pool.ConnectAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        await WaitQueuedAsync(pool);
        _f.Dir.File("die.flag", "");
        var dieResponse = await died.WaitAsync(TimeSpan.FromSeconds(30));
        dying.End(AppLeaseFailure.ConnectionLost, UwsgiRequest.StatusOf(dieResponse), dieResponse.Length);
        _f.Dir.File("hold.flag", "");
        var holdResponse = await holding.WaitAsync(TimeSpan.FromSeconds(30));
        held.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(holdResponse), holdResponse.Length, reusable: true);

        var next = (WorkerLease?)await queued.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(next);
        var response = await SendAsync(next, "/");
        next.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(response), response.Length, reusable: true);

        Assert.Equal("", dieResponse);
        Assert.StartsWith("HTTP/1.1 200 OK", holdResponse);
        Assert.StartsWith("HTTP/1.1 200 OK", response); // from the other worker or the respawned one, never the dying one
        Assert.DoesNotContain($"pid={dyingPid}", response);
        Assert.NotSame(dying.Worker, next.Worker);
    }

    [Fact]
    public async Task Release_FailedRequestOnALiveWorker_SlotComesBackAfterTheBound()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        var failed = await LeaseAsync(pool);
        var worker = failed.Worker;

        // A failure of the request alone (say a read timeout): the worker lives on, so its slot is held only until
        // the bound passes, then the queued request gets it.
        var queued = pool.ConnectAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        await WaitQueuedAsync(pool);
        failed.Socket.Dispose();
        failed.End(AppLeaseFailure.TimedOut, 0, 0);
        var next = (WorkerLease?)await queued.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(next);
        var response = await SendAsync(next, "/");
        next.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(response), response.Length, reusable: true);

        Assert.Same(worker, next.Worker);
        Assert.False(next.Reused); // the failed request's connection was closed
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.Equal(0, worker.InFlight);
    }

    [Fact]
    public async Task HoldBack_ThreadedWorkerLosesAConnection_ItsOtherSlotIsNotHandedOut()
    {
        // /linger closes its connection like /die, then waits for kill.flag before its SIGKILL: the test decides when
        // the worker goes, so the request asked for in between would get the dying worker's other (free) slot.
        await using var pool = await AppPool.StartAsync(_f.Settings("dyingapp", processes: 1) with { Threads = 2 }, null, null, _f.Writer);
        var dying = await LeaseAsync(pool);
        var dyingPid = dying.Worker.Pid;
        var died = SendAsync(dying, "/linger");
        _f.Dir.File("die.flag", "");
        var dieResponse = await died.WaitAsync(TimeSpan.FromSeconds(30));
        dying.End(AppLeaseFailure.ConnectionLost, UwsgiRequest.StatusOf(dieResponse), dieResponse.Length); // app_pass: premature close

        var queued = pool.ConnectAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        _f.Dir.File("kill.flag", "");
        var next = (WorkerLease?)await queued.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(next);
        var response = await SendAsync(next, "/");
        next.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(response), response.Length, reusable: true);

        Assert.Equal("", dieResponse);
        // Before the worker-wide hold, the queued request got the other thread's slot of the dying worker and was
        // cut by its SIGKILL.
        Assert.NotSame(dying.Worker, next.Worker);
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.DoesNotContain($"pid={dyingPid}", response);
    }

    [Fact]
    public async Task HoldBack_ThreadedWorkerTimesOutOnARequest_ItsOtherSlotServes()
    {
        // A timeout says one thread is stuck, not that the worker is going: only that request's slot is held.
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1) with { Threads = 2 }, null, null, _f.Writer);
        var stuck = await LeaseAsync(pool);
        stuck.Socket.Dispose();
        stuck.End(AppLeaseFailure.TimedOut, 0, 0);

        var next = await pool.ConnectAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(next);
        var lease = (WorkerLease)next;
        var response = await SendAsync(lease, "/");
        lease.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(response), response.Length, reusable: true);

        Assert.Same(stuck.Worker, lease.Worker);
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.Contains($"pid={stuck.Worker.Pid}", response);
    }

    [Fact]
    public async Task Relay_OnlyWorkerClosesWithoutResponseThenDies_QueuedConnectionServedByTheRespawn()
    {
        // The public socket's relay (nginx's uwsgi_pass to the app's `socket`) ends its lease as app_pass does: a
        // worker that closed without a response is held until its exit is seen.
        await using var pool = await AppPool.StartAsync(_f.Settings("dyingapp", processes: 1), null, null, _f.Writer);
        var path = Path.Combine(_f.Dir.Path, "public.sock");
        await using var relay = AppSocketRelay.Open(path, "t", null, null, 16, () => pool, _f.Writer);
        var dyingPid = pool.Workers[0]!.Pid;
        var died = RelayGetAsync(path, "/die");
        await WaitInFlightAsync(pool);

        var queued = RelayGetAsync(path, "/");
        await WaitQueuedAsync(pool);
        _f.Dir.File("die.flag", "");
        var dieResponse = await died.WaitAsync(TimeSpan.FromSeconds(30));
        var response = await queued.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("", dieResponse); // the request in flight on the dying worker fails
        // Before the relay held the lease, the queued connection was handed the dying worker and reset: "".
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.DoesNotContain($"pid={dyingPid}", response);
    }

    private static async Task<string> RelayGetAsync(string path, string target)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return await UwsgiRequest.GetAsync(client, target);
    }

    /// <summary>Until the pool's worker counts one request in flight (bounded).</summary>
    private static async Task WaitInFlightAsync(AppPool pool)
    {
        var clock = Stopwatch.StartNew();
        while (pool.Workers[0]!.InFlight < 1 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, pool.Workers[0]!.InFlight);
    }

    private static async Task<WorkerLease> LeaseAsync(AppPool pool) =>
        (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(30), CancellationToken.None))!;

    /// <summary>A framed GET (as app_pass sends it); "" when the connection ends without a whole response (a worker
    /// that closed or died: app_pass answers 502).</summary>
    private static async Task<string> SendAsync(WorkerLease lease, string path)
    {
        try
        {
            return await UwsgiRequest.GetFramedAsync(lease.Socket, path);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return "";
        }
    }

    /// <summary>Until the pool counts one request waiting for a slot (bounded).</summary>
    private static async Task WaitQueuedAsync(AppPool pool)
    {
        var clock = Stopwatch.StartNew();
        while (pool.Snapshot().Queued < 1 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, pool.Snapshot().Queued);
    }
}
