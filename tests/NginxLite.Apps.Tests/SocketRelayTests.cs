using System.Diagnostics;
using System.Net.Sockets;

namespace NginxLite.Apps.Tests;

/// <summary>An app's public socket (<see cref="AppSocketRelay"/>, uWSGI's <c>socket</c>) sharing the pool with
/// app_pass: a kept connection app_pass left open whose worker went gets the one retry on a fresh connection that
/// app_pass has (docs/apps.md, "What app_pass sends").</summary>
public sealed class SocketRelayTests : IDisposable
{
    private readonly PoolFixture _f = new();

    public void Dispose() => _f.Dispose();

    private async Task<string> RelayGetAsync(string path, int header = 0)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return await UwsgiRequest.GetAsync(client, "/", header);
    }

    private static async Task KeepAConnectionAsync(AppPool pool)
    {
        var lease = (WorkerLease)(await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!;
        var response = await UwsgiRequest.GetFramedAsync(lease.Socket, "/");
        lease.End(AppLeaseFailure.None, UwsgiRequest.StatusOf(response), response.Length, reusable: true);
    }

    [Fact]
    public async Task Relay_KeptConnectionWhosePeerClosed_RetriedOnAFreshConnection()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        var path = Path.Combine(_f.Dir.Path, "public.sock");
        await using var relay = AppSocketRelay.Open(path, "t", null, null, 16, () => pool, _f.Writer);
        var worker = pool.Workers[0]!;
        // The slot's kept connection, as app_pass leaves it, but its other end is gone (a real socket server that
        // accepts and closes: what a worker killed a moment ago leaves behind before the pool sees the exit).
        using var gone = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        gone.Bind(new UnixDomainSocketEndPoint(Path.Combine(_f.Dir.Path, "gone.sock")));
        gone.Listen(1);
        var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await stale.ConnectAsync(gone.LocalEndPoint!);
        (await gone.AcceptAsync()).Dispose();
        worker.Connections[0].Socket = stale;

        var response = await RelayGetAsync(path);

        // The relay ends the lease after the client has its response: wait for the slot's count (taken after Served).
        await ForkingPoolTests.WaitUntilAsync(() => pool.Snapshot().Workers[0].Counters.Requests > 0);
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.Contains($"pid={worker.Pid} ", response);
        Assert.Equal(1, worker.Served); // the stale attempt is not a served request
        Assert.Equal(0, worker.InFlight);
    }

    [Fact]
    public async Task Relay_WorkerKilledWithSignal9BetweenRequests_NextRequestServed()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        var path = Path.Combine(_f.Dir.Path, "public.sock");
        await using var relay = AppSocketRelay.Open(path, "t", null, null, 16, () => pool, _f.Writer);
        await KeepAConnectionAsync(pool);
        var victim = pool.Workers[0]!;

        Process.GetProcessById(victim.Pid).Kill();
        // The next request comes once the pool has seen the death (pidfd): sent at once, its one retry could connect into
        // the dying worker's backlog and be reset too (CI once: an empty answer). A stale kept connection at the
        // relay is Relay_KeptConnectionWhosePeerClosed_RetriedOnAFreshConnection's case.
        await ForkingPoolTests.WaitUntilAsync(() => pool.Workers[0] != victim);
        var response = await RelayGetAsync(path);

        Assert.StartsWith("HTTP/1.1 200 OK", response); // the respawned worker
        Assert.DoesNotContain($"pid={victim.Pid} ", response);
        Assert.DoesNotContain(_f.Log, l => l.Message.Contains("no worker for a connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_VarsBlockOverBufferSize_WorkerRefusesAndIsNotHeldBack()
    {
        // nginx passes a client's long header into the vars; the worker closes unanswered (uWSGI: "invalid request block
        // size"). That worker is fine: holding it back (as one that lost a connection) would let any client stall it.
        await using var pool = await AppPool.StartAsync(_f.Settings(processes: 1), null, null, _f.Writer);
        var path = Path.Combine(_f.Dir.Path, "public.sock");
        await using var relay = AppSocketRelay.Open(path, "t", null, null, 16, () => pool, _f.Writer);
        var worker = pool.Workers[0]!;

        var refused = await RelayGetAsync(path, header: 5000);
        // The relay ends the lease after the client has its (empty) answer: wait for the worker to count it out.
        await ForkingPoolTests.WaitUntilAsync(() => worker.InFlight == 0 && _f.Log.Any(l => l.Message.Contains("larger than buffer-size", StringComparison.Ordinal)));
        var held = worker.HeldBack;
        var response = await RelayGetAsync(path);

        Assert.Equal("", refused);
        Assert.False(held);
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.Contains($"pid={worker.Pid} ", response);
    }
}
