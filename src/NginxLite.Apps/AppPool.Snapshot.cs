namespace NginxLite.Apps;

internal sealed partial class AppPool
{
    /// <summary>The slots' workers and their counters now, for nginxlite_status and the uWSGI stats server. Reads
    /// /proc/PID/statm once per worker; called per status request, never on the request path.</summary>
    public AppPoolSnapshot Snapshot()
    {
        var workers = new List<AppWorkerSnapshot>();
        AppWorker?[] slots;
        lock (_slots)
        {
            slots = [.. _slots];
        }

        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } w)
            {
                workers.Add(Describe(w, _counters[i]));
            }
        }

        // A replacement being started (respawn, recycle) or an old worker still draining is not in a slot.
        foreach (var w in _live.Keys.Where(w => Array.IndexOf(slots, w) < 0).OrderBy(w => w.Number).ThenBy(w => w.Pid))
        {
            workers.Add(Describe(w, _counters[w.Number - 1]));
        }

        int queued;
        lock (_free)
        {
            queued = _waiters.Count(w => !w.Task.IsCompleted);
        }

        return new AppPoolSnapshot(Name, Settings.Processes, workers) { Queued = queued };
    }

    private AppWorkerSnapshot Describe(AppWorker w, WorkerSlotCounters counters)
    {
        var state = w.IsGone ? WorkerState.Dead
            : w.Retiring || IsStopping ? WorkerState.Stopping
            : !w.IsReady ? WorkerState.Starting
            : w.InFlight > 0 ? WorkerState.Busy
            : WorkerState.Idle;
        var requests = counters.Requests; // before Served: RequestEnded counts Served first, then the slot
        return new AppWorkerSnapshot(w.Number, w.Pid, state, w.InFlight, w.Served, state == WorkerState.Dead ? 0 : w.ResidentBytes(), counters)
        {
            Requests = requests,
            Vsz = state == WorkerState.Dead ? 0 : w.VirtualBytes(),
            Socket = w.Socket,
        };
    }
}
