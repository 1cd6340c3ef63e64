using System.Net.Sockets;
using NginxLite.Handlers.Apps;
using NginxLite.Routing;

namespace NginxLite.Apps;

internal sealed partial class AppPool
{
    /// <summary>The free connection slots of the usable workers (at most processes × threads); guards
    /// <see cref="_waiters"/> too.</summary>
    private readonly List<WorkerConnection> _free = [];

    /// <summary>Requests waiting for a free slot, first come first served (uWSGI's listen queue, kept here: a worker
    /// thread serves one kept connection, so a connection beyond its threads would wait for a thread forever).</summary>
    private readonly Queue<TaskCompletionSource<WorkerConnection?>> _waiters = new();

    private int _roundRobin;

    /// <summary>Completed when the last usable worker went (<see cref="WorkerWent"/>): a request queued behind busy
    /// workers then gets the connect bound, as one that arrives while none is up does.</summary>
    private TaskCompletionSource _allDown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// A connection to the least-busy ready worker with a free slot; with none free, the request waits for one. While no
    /// worker is ready (all being respawned) it waits up to <paramref name="connectTimeout"/>, and so does a request
    /// queued behind busy workers from the moment they have all died (null: app_pass answers 502). A worker that refuses
    /// the connect (it died a moment ago) is skipped. A pool replaced by a reload hands the request to its successor.
    /// </summary>
    public async ValueTask<AppLease?> ConnectAsync(TimeSpan connectTimeout, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + connectTimeout;
        HashSet<AppWorker>? refused = null;
        while (true)
        {
            if (IsStopping && Successor is { } next)
            {
                return await next.ConnectAsync(connectTimeout, cancel);
            }

            var slot = Take(refused) ?? await WaitAsync(deadline, connectTimeout, refused, cancel);
            if (slot is null)
            {
                if (IsStopping && Successor is not null)
                {
                    continue;
                }

                return null;
            }

            var worker = slot.Worker;
            if (slot.Socket is { } open)
            {
                return new WorkerLease(this, slot, open, Framed, reused: true, Settings.Harakiri);
            }

            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                // A Unix-socket connect completes at once unless the worker's listen queue is full: only then is a
                // timer armed for the connect timeout (no linked source and timer per request).
                var connect = socket.ConnectAsync(worker.EndPoint, cancel);
                if (connect.IsCompleted)
                {
                    await connect; // refused: throws here
                }
                else
                {
                    var left = deadline - DateTime.UtcNow;
                    await connect.AsTask().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), cancel);
                }

                slot.Socket = socket;
                return new WorkerLease(this, slot, socket, Framed, reused: false, Settings.Harakiri);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or TimeoutException)
            {
                socket.Dispose();
                worker.Abandon();
                // Not handed to a waiter: its connect would run on this thread and likely fail the same way, and so on
                // down the queue (a dying worker); the waiters get the respawned worker's slots.
                Release(slot, reusable: false, handOff: false);
                cancel.ThrowIfCancellationRequested();
                if (e is OperationCanceledException or TimeoutException)
                {
                    return null; // connect timeout: the handler answers 502
                }

                (refused ??= []).Add(worker);
            }
        }
    }

    /// <summary>Whether the workers frame their responses for app_pass (the Python shim does; the Rack shim answers
    /// close-delimited, one request per connection).</summary>
    private bool Framed => !Settings.IsRack;

    private static bool Usable(AppWorker w) => w.IsReady && !w.Retiring && !w.IsGone;

    /// <summary>The free slot of the ready worker with the fewest requests in flight (ties round robin), counted in;
    /// null when none is free. Slots of workers that went meanwhile are dropped here; those of a held worker (a request
    /// on it lost its connection: AppPool.HoldBack) are passed by.</summary>
    private WorkerConnection? Take(HashSet<AppWorker>? refused)
    {
        lock (_free)
        {
            return TakeLocked(refused);
        }
    }

    private WorkerConnection? TakeLocked(HashSet<AppWorker>? refused)
    {
        var n = _free.Count;
        if (n == 0)
        {
            return null;
        }

        var best = -1;
        var start = (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)n);
        for (var k = 0; k < n; k++)
        {
            var i = (start + k) % n;
            var w = _free[i].Worker;
            if (w.HeldBack || refused?.Contains(w) == true)
            {
                continue;
            }

            if (best < 0 || w.InFlight < _free[best].Worker.InFlight
                || (w.InFlight == _free[best].Worker.InFlight && _free[i].Socket is not null && _free[best].Socket is null && w == _free[best].Worker))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return null;
        }

        var slot = _free[best];
        _free[best] = _free[^1];
        _free.RemoveAt(_free.Count - 1);
        if (!Usable(slot.Worker))
        {
            slot.Close();
            return TakeLocked(refused);
        }

        slot.Worker.Enter();
        return slot;
    }

    /// <summary>Waits for a slot that a request gives back or a new worker brings. Bounded by the connect timeout only
    /// while no worker is ready (a busy pool is a queue, as uWSGI's listen queue; harakiri bounds a stuck request), so
    /// a request queued behind busy workers arms no timer. When the last ready worker goes while the request waits
    /// (all dead, respawns failing) the bound starts then: the request gets null (502, as nginx answers when it cannot
    /// connect to the upstream within uwsgi_connect_timeout) unless a respawned worker takes it first. The waiter's
    /// continuation runs on the thread that gives the slot back (no thread-pool hop: measured, the hop cost more
    /// master CPU per request than the connect and close it saves).</summary>
    private async ValueTask<WorkerConnection?> WaitAsync(DateTime deadline, TimeSpan connectTimeout, HashSet<AppWorker>? refused, CancellationToken cancel)
    {
        var waiter = new TaskCompletionSource<WorkerConnection?>();
        lock (_free)
        {
            if (TakeLocked(refused) is { } slot)
            {
                return slot;
            }

            if (IsStopping)
            {
                return null;
            }

            _waiters.Enqueue(waiter);
        }

        try
        {
            var queued = false;
            while (true)
            {
                // Taken before the check: a worker that goes after it completes this very signal.
                var down = AllDownSignal();
                if (AnyReady())
                {
                    queued = true;
                    if (await Task.WhenAny(waiter.Task, down).WaitAsync(cancel) == waiter.Task)
                    {
                        return await waiter.Task;
                    }

                    continue; // every worker went: the bound applies from now
                }

                if (queued)
                {
                    queued = false;
                    deadline = DateTime.UtcNow + connectTimeout;
                }

                var left = deadline - DateTime.UtcNow;
                try
                {
                    return await waiter.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), cancel);
                }
                catch (TimeoutException) when (AnyReady())
                {
                    // A worker came back but its slots went to requests queued earlier: wait in the queue again.
                }
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            if (!waiter.TrySetResult(null) && waiter.Task.Result is { } given)
            {
                // A slot was handed over just now: give it back.
                given.Worker.Abandon();
                Release(given, reusable: true);
            }

            cancel.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>The signal of <see cref="_allDown"/> to wait on now: a fresh one once the last has fired (a worker is
    /// back).</summary>
    private Task AllDownSignal()
    {
        var current = Volatile.Read(ref _allDown);
        if (!current.Task.IsCompleted)
        {
            return current.Task;
        }

        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Interlocked.CompareExchange(ref _allDown, fresh, current) == current ? fresh : Volatile.Read(ref _allDown)).Task;
    }

    /// <summary>A worker exited: when none is ready now, the queued requests start their connect bound.</summary>
    private void WorkerWent()
    {
        if (!AnyReady())
        {
            Volatile.Read(ref _allDown).TrySetResult();
        }
    }

    private bool AnyReady()
    {
        lock (_slots)
        {
            foreach (var w in _slots)
            {
                if (w is not null && Usable(w))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A slot comes back (or a new worker's slots come in): to the first waiter (<paramref name="handOff"/>),
    /// else to the free list. Not <paramref name="reusable"/>: its connection is closed first. A slot of a worker that is
    /// no longer usable (retiring, gone: <see cref="Usable"/>, checked under the lock) is dropped with its connection.</summary>
    internal void Release(WorkerConnection slot, bool reusable, bool handOff = true)
    {
        if (!reusable)
        {
            slot.Close();
        }

        while (true)
        {
            TaskCompletionSource<WorkerConnection?>? waiter = null;
            lock (_free)
            {
                if (!Usable(slot.Worker) || IsStopping)
                {
                    slot.Close();
                    return;
                }

                // A held worker's slot (AppPool.HoldBack) waits on the free list for the hold to end.
                while (handOff && !slot.Worker.HeldBack && _waiters.TryDequeue(out var w))
                {
                    if (!w.Task.IsCompleted)
                    {
                        waiter = w;
                        break;
                    }
                }

                if (waiter is null)
                {
                    _free.Add(slot);
                    return;
                }
            }

            slot.Worker.Enter();
            if (waiter.TrySetResult(slot))
            {
                return;
            }

            slot.Worker.Abandon(); // that request gave up meanwhile: the next waiter
        }
    }

    /// <summary>A worker now serving (started, respawned, a recycle's replacement): its slots come into use.</summary>
    private void AddConnections(AppWorker worker)
    {
        foreach (var slot in worker.Connections)
        {
            Release(slot, reusable: true);
        }
    }

    /// <summary>Closes the kept connections of a worker about to stop (retired or exited): its threads go back to
    /// accept(), where SIGTERM finds them; its busy slots are dropped when their requests end.</summary>
    private void CloseIdle(AppWorker worker)
    {
        lock (_free)
        {
            for (var i = _free.Count - 1; i >= 0; i--)
            {
                if (_free[i].Worker == worker)
                {
                    _free[i].Close();
                    _free.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>The pool stops: waiting requests get no slot (they go to the successor, or get 502).</summary>
    private void WakeWaiters()
    {
        List<TaskCompletionSource<WorkerConnection?>> waiters;
        lock (_free)
        {
            waiters = [.. _waiters];
            _waiters.Clear();
            foreach (var slot in _free)
            {
                slot.Close();
            }

            _free.Clear();
        }

        foreach (var w in waiters)
        {
            w.TrySetResult(null);
        }
    }

    /// <summary>A request on <paramref name="worker"/> ended (the worker's response status, 0 for none, and the bytes it
    /// sent go to its slot's counters): max_requests and reload_on_rss are checked here,
    /// between requests, as uWSGI does after each one.</summary>
    internal void RequestEnded(AppWorker worker, int status, long bytes, long micros)
    {
        // Leave first: a stats reader that sees the request counted sees the worker idle and its served count too.
        // No response (status 0: a stale kept connection the handler retries, possibly on this same worker) counts
        // neither here nor in the slot's counters: the retry that is served counts once.
        var served = worker.Leave(served: status != 0);
        _counters[worker.Number - 1].RequestEnded(status, bytes, micros);
        if (status == 0 || worker.Retiring || IsStopping || worker.Recycling)
        {
            return;
        }

        string? reason = null;
        if (Settings.MaxRequests > 0 && served >= Settings.MaxRequests)
        {
            reason = $"max_requests {Settings.MaxRequests} reached";
        }
        else if (Settings.ReloadOnRss > 0 && worker.ResidentBytes() is var rss && rss > Settings.ReloadOnRss)
        {
            reason = $"rss {rss / 1024 / 1024} MiB over reload_on_rss";
        }

        if (reason is not null)
        {
            Recycle(worker, reason);
        }
    }

    /// <summary>harakiri: the request outlived its limit; the worker is killed and respawned (uWSGI's words).</summary>
    internal void Harakiri(AppWorker worker)
    {
        _counters[worker.Number - 1].Harakiri();
        _log(ErrorLevel.Error, $"app \"{Name}\": *** HARAKIRI ON WORKER {worker.Number} (pid: {worker.Pid}, try: 1) ***");
        worker.Kill();
    }
}
