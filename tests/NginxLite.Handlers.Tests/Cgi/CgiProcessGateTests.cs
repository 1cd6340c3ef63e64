using NginxLite.Handlers.Cgi;

namespace NginxLite.Handlers.Tests.Cgi;

/// <summary>The <c>cgi_max_procs</c> gate: at most N slots, a FIFO queue of tasks, abandoned waiters leave it.</summary>
public class CgiProcessGateTests
{
    [Fact]
    public async Task EnterAsync_BelowLimit_GrantsAtOnce()
    {
        var gate = new CgiProcessGate();
        var a = gate.EnterAsync(2, CancellationToken.None);
        var b = gate.EnterAsync(2, CancellationToken.None);

        Assert.True(a.IsCompletedSuccessfully);
        Assert.True(b.IsCompletedSuccessfully);
        Assert.Equal(2, gate.Running);
        (await a).Dispose();
        (await b).Dispose();
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task EnterAsync_AtLimit_WaitsUntilARelease_InArrivalOrder()
    {
        var gate = new CgiProcessGate();
        var first = await gate.EnterAsync(1, CancellationToken.None);
        var second = gate.EnterAsync(1, CancellationToken.None).AsTask();
        var third = gate.EnterAsync(1, CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        Assert.Equal(2, gate.Queued);
        first.Dispose();
        var s = await second;
        Assert.False(third.IsCompleted);
        Assert.Equal(1, gate.Running);
        s.Dispose();
        (await third).Dispose();
        Assert.Equal(0, gate.Running);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileQueued_LeavesTheQueue_AndTheNextGetsTheSlot()
    {
        var gate = new CgiProcessGate();
        var first = await gate.EnterAsync(1, CancellationToken.None);
        using var gone = new CancellationTokenSource();
        var abandoned = gate.EnterAsync(1, gone.Token).AsTask();
        var next = gate.EnterAsync(1, CancellationToken.None).AsTask();

        gone.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(1, gate.Queued);
        first.Dispose();
        (await next).Dispose();
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task Slot_DisposedTwice_ReleasesOnce()
    {
        var gate = new CgiProcessGate();
        var a = await gate.EnterAsync(2, CancellationToken.None);
        var b = await gate.EnterAsync(2, CancellationToken.None);

        a.Dispose();
        a.Dispose();
        Assert.Equal(1, gate.Running);
        b.Dispose();
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task Release_WaiterWithSmallerLimit_DoesNotHoldUpOneWithALargerLimit()
    {
        var gate = new CgiProcessGate();
        var a = await gate.EnterAsync(3, CancellationToken.None);
        var b = await gate.EnterAsync(3, CancellationToken.None);
        var c = await gate.EnterAsync(3, CancellationToken.None);
        var small = gate.EnterAsync(1, CancellationToken.None).AsTask();
        var large = gate.EnterAsync(3, CancellationToken.None).AsTask();

        c.Dispose();
        (await large).Dispose();
        Assert.False(small.IsCompleted);
        a.Dispose();
        b.Dispose();
        (await small).Dispose();
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task EnterAsync_RoomUnderItsOwnLimit_OvertakesAWaiterWhoseSmallerLimitIsFull()
    {
        var gate = new CgiProcessGate();
        var a = await gate.EnterAsync(1, CancellationToken.None);
        var small = gate.EnterAsync(1, CancellationToken.None).AsTask();
        var large = gate.EnterAsync(4, CancellationToken.None);

        Assert.True(large.IsCompletedSuccessfully);
        Assert.False(small.IsCompleted);
        (await large).Dispose();
        a.Dispose();
        (await small).Dispose();
        Assert.Equal(0, gate.Running);
    }
}
