using System.Net.Sockets;
using NginxLite.Handlers.Apps;

namespace NginxLite.Apps;

/// <summary>
/// One request on one worker (the handler's <see cref="AppLease"/>), on one of its connection slots. With harakiri set,
/// a timer kills the worker if the request is still running when it fires, as uWSGI's master does ("HARAKIRI ON
/// WORKER n"); the handler then answers 504. A lease that ends failed (or killed) gives its slot to
/// <see cref="AppPool.HoldBack"/>, not straight back: its worker may be dying. app_pass and the public socket's relay
/// (<see cref="AppSocketRelay"/>) end their leases here alike.
/// </summary>
internal sealed class WorkerLease : AppLease
{
    private readonly AppPool _pool;
    private readonly WorkerConnection _slot;
    private readonly Timer? _harakiri;
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
    private int _ended;
    private volatile bool _killed;

    public WorkerLease(AppPool pool, WorkerConnection slot, Socket socket, bool framed, bool reused, TimeSpan harakiri)
        : base(socket, slot.Worker.Address, framed, reused)
    {
        _pool = pool;
        _slot = slot;
        Worker = slot.Worker;
        if (harakiri > TimeSpan.Zero)
        {
            _harakiri = new Timer(static s => ((WorkerLease)s!).Harakiri(), this, harakiri, Timeout.InfiniteTimeSpan);
        }
    }

    public AppWorker Worker { get; }

    public override bool KilledByHarakiri => _killed;

    public override void End(AppLeaseFailure failure, int status, long responseBytes, bool reusable)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        _harakiri?.Dispose();
        var micros = (long)System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalMicroseconds;
        _pool.RequestEnded(Worker, status, responseBytes, micros);
        if (failure != AppLeaseFailure.None || _killed)
        {
            // The worker may be dying and not yet seen to: its slot (or, on a lost connection, the whole worker) waits
            // for that (AppPool.HoldBack). Harakiri killed it: dropped at once.
            _pool.HoldBack(_slot, _killed ? AppLeaseFailure.ConnectionLost : failure);
        }
        else
        {
            _pool.Release(_slot, reusable);
        }
    }

    private void Harakiri()
    {
        if (Volatile.Read(ref _ended) != 0)
        {
            return;
        }

        _killed = true;
        _pool.Harakiri(Worker);
    }
}
