using NginxLite.Handlers.Apps;

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
    /// request that never reached the app. A lost connection (<see cref="AppLeaseFailure.ConnectionLost"/>) says the
    /// worker itself may be dying: the whole worker is held back (with <c>threads N</c>, its other free slots are not
    /// handed out either). A timeout says one request is stuck: only its slot is held, the worker's other threads serve
    /// on. Either comes back when the exit is seen (then <see cref="Release"/> drops the slots: the worker is no longer
    /// usable) or after <see cref="FailedSlotHold"/> (the worker lives: its slots are handed on as usual). app_pass and
    /// the public socket's relay (<see cref="AppSocketRelay"/>) both come here through <see cref="WorkerLease.End"/>.
    /// Only this failure path waits; the success path arms no timer and starts no task.
    /// </summary>
    internal void HoldBack(WorkerConnection slot, AppLeaseFailure failure)
    {
        slot.Close();
        if (!Usable(slot.Worker) || IsStopping)
        {
            Release(slot, reusable: false); // harakiri killed it, or it is retiring: dropped now
            return;
        }

        if (failure == AppLeaseFailure.ConnectionLost)
        {
            HoldWorker(slot);
            return;
        }

        _ = HoldAsync(slot);
    }

    private async Task HoldAsync(WorkerConnection slot)
    {
        await WaitExitOrBoundAsync(slot.Worker);
        Release(slot, reusable: false);
    }

    /// <summary>Marks the slot's worker held (one hold per worker: a later loss while it is held changes nothing) and
    /// parks the slot on the free list, where <see cref="TakeLocked"/> and <see cref="Release"/> pass it by.</summary>
    private void HoldWorker(WorkerConnection slot)
    {
        var worker = slot.Worker;
        bool first;
        lock (_free)
        {
            if (!Usable(worker) || IsStopping)
            {
                return; // gone meanwhile: the slot (closed above) is dropped
            }

            first = !worker.HeldBack;
            worker.HeldBack = true;
            _free.Add(slot);
        }

        if (first)
        {
            _ = HoldWorkerAsync(worker);
        }
    }

    /// <summary>The hold of a worker ends: its parked slots go back through <see cref="Release"/> — dropped when the
    /// worker is gone, handed to the waiters when it lives.</summary>
    private async Task HoldWorkerAsync(AppWorker worker)
    {
        await WaitExitOrBoundAsync(worker);
        List<WorkerConnection> parked = [];
        lock (_free)
        {
            worker.HeldBack = false;
            for (var i = _free.Count - 1; i >= 0; i--)
            {
                if (_free[i].Worker == worker)
                {
                    parked.Add(_free[i]);
                    _free.RemoveAt(i);
                }
            }
        }

        foreach (var slot in parked)
        {
            Release(slot, reusable: true);
        }
    }

    private async Task WaitExitOrBoundAsync(AppWorker worker)
    {
        try
        {
            await worker.Exited.WaitAsync(FailedSlotHold, _stopping.Token);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }
    }
}
