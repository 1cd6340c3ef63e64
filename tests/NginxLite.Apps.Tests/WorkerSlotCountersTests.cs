using System.Text;

namespace NginxLite.Apps.Tests;

/// <summary>The per-slot counters of a real pool (uWSGI's stats-server meaning, docs/apps-cli.md) after real requests
/// on python3 workers running the shim.</summary>
public sealed class WorkerSlotCountersTests : IDisposable
{
    private readonly PoolFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Counters_TwoOkOneRaising_RequestsExceptionsAndTxExact()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(), null, null, _f.Writer);

        var responses = new[]
        {
            await AppPoolTests.GetAsync(pool), await AppPoolTests.GetAsync(pool, "/boom"), await AppPoolTests.GetAsync(pool),
        };

        var worker = Assert.Single(pool.Snapshot().Workers);
        var c = worker.Counters;
        Assert.StartsWith("HTTP/1.1 500 ", responses[1]);
        Assert.Equal(3, c.Requests);
        Assert.Equal(1, c.Exceptions);
        Assert.Equal(responses.Sum(r => (long)Encoding.UTF8.GetByteCount(r)), c.Tx);
        Assert.Equal(0, c.HarakiriCount);
        Assert.Equal(1, c.RespawnCount); // the first spawn counts, as in uWSGI
        Assert.Equal(3, worker.Served);
        Assert.True(c.AvgRt > 0, "avg_rt moved");
        Assert.True(c.RunningTime >= c.AvgRt, "the running average is never above the total");
        Assert.Equal(WorkerState.Idle, worker.State);
        Assert.True(worker.Rss > 0);
        Assert.Equal(pool.Workers[0]!.Pid, worker.Pid);
    }

    [Fact]
    public async Task Counters_HarakiriThenRespawn_HarakiriAndRespawnCounted_KilledRequestNot()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings() with { Harakiri = TimeSpan.FromSeconds(1) }, null, null, _f.Writer);
        var first = pool.Workers[0]!;
        Assert.StartsWith("HTTP/1.1 200 ", await AppPoolTests.GetAsync(pool));

        var killed = await AppPoolTests.GetAsync(pool, "/sleep");
        Assert.Equal("", killed);
        Assert.StartsWith("HTTP/1.1 200 ", await AppPoolTests.GetAsync(pool)); // on the respawned worker

        var snapshot = pool.Snapshot();
        var slot = snapshot.Workers.First(w => w.Id == 1);
        Assert.NotEqual(first.Pid, slot.Pid);
        Assert.Equal(1, slot.Counters.HarakiriCount);
        Assert.Equal(2, slot.Counters.RespawnCount);
        Assert.Equal(2, slot.Counters.Requests); // the request harakiri killed got no response: not counted
        Assert.Equal(1, slot.Served); // the new process served one
        Assert.Equal(0, slot.Counters.Exceptions);
    }

    [Fact]
    public async Task Snapshot_RequestInFlight_WorkerBusy_ThenIdle()
    {
        await using var pool = await AppPool.StartAsync(_f.Settings(), null, null, _f.Writer);

        var lease = (await pool.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!;
        var busy = Assert.Single(pool.Snapshot().Workers);
        lease.Socket.Dispose();
        lease.End(AppLeaseFailure.None, 0, 0);
        var idle = Assert.Single(pool.Snapshot().Workers);

        Assert.Equal(WorkerState.Busy, busy.State);
        Assert.Equal(1, busy.InFlight);
        Assert.Equal(WorkerState.Idle, idle.State);
        Assert.Equal(0, idle.Counters.Requests); // a connection with no response is not a request
    }
}
