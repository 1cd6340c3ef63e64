namespace NginxLite.Apps;

internal sealed partial class AppPool
{
    /// <summary>
    /// How long the slot of a failed request is held back when its worker's exit is not seen. A worker killed with
    /// SIGKILL has its sockets closed by the kernel a moment before the pool sees it exit (pidfd or SIGCHLD: milliseconds);
    /// an app that closes its connection and then dies takes longer still. One second covers both with room to spare
    /// (the bound for a killed worker to be back), and it only delays a worker that lives on after a request
    /// of its own failed (a read timeout: its thread is most likely still running that request anyway).
    /// </summary>
    internal static readonly TimeSpan FailedSlotHold = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The slot of a request that failed (no response or a cut one: the worker closed or reset the connection, a read
    /// timeout, harakiri) is not handed on at once: the worker may be dying, and until its exit is seen it still looks
    /// usable, so the next request would connect to its socket, land in its accept queue and be reset — a second failed
    /// request that never reached the app. The slot comes back when the exit is seen (then <see cref="Release"/> drops
    /// it: the worker is no longer usable) or after <see cref="FailedSlotHold"/> (the worker lives: its slot is
    /// handed on as usual). Only this failure path waits; the success path arms no timer and starts no task.
    /// </summary>
    internal void HoldBack(WorkerConnection slot)
    {
        slot.Close();
        if (!Usable(slot.Worker) || IsStopping)
        {
            Release(slot, reusable: false); // harakiri killed it, or it is retiring: dropped now
            return;
        }

        _ = HoldAsync(slot);
    }

    private async Task HoldAsync(WorkerConnection slot)
    {
        try
        {
            await slot.Worker.Exited.WaitAsync(FailedSlotHold, _stopping.Token);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }

        Release(slot, reusable: false);
    }
}
