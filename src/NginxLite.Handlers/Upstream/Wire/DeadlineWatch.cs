namespace NginxLite.Handlers.Upstream.Wire;

/// <summary>
/// The one timer behind every upstream connection's read and send timeouts: every 100 ms it looks at the live
/// <see cref="OperationDeadlines"/> and cancels those past their deadline. Adding and removing is a swap in an array
/// under a lock; the timer stops while no connection is open.
/// </summary>
internal static class DeadlineWatch
{
    private const int TickMilliseconds = 100;

    private static readonly Lock Gate = new();
    private static OperationDeadlines?[] _live = new OperationDeadlines?[64];
    private static int _count;
    private static Timer? _timer;
    private static bool _ticking;

    public static void Add(OperationDeadlines entry)
    {
        lock (Gate)
        {
            if (_count == _live.Length)
            {
                Array.Resize(ref _live, _live.Length * 2);
            }

            entry.Slot = _count;
            _live[_count++] = entry;
            if (!_ticking)
            {
                _ticking = true;
                _timer ??= new Timer(static _ => Tick(), null, Timeout.Infinite, Timeout.Infinite);
                _timer.Change(TickMilliseconds, TickMilliseconds);
            }
        }
    }

    public static void Remove(OperationDeadlines entry)
    {
        lock (Gate)
        {
            var slot = entry.Slot;
            if (slot < 0)
            {
                return;
            }

            var last = _live[--_count]!;
            _live[slot] = last;
            last.Slot = slot;
            _live[_count] = null;
            entry.Slot = -1;
        }
    }

    private static void Tick()
    {
        var now = Environment.TickCount64;
        List<OperationDeadlines>? expired = null;
        lock (Gate)
        {
            if (_count == 0)
            {
                _ticking = false;
                _timer!.Change(Timeout.Infinite, Timeout.Infinite);
                return;
            }

            for (var i = 0; i < _count; i++)
            {
                if (_live[i]!.Check(now))
                {
                    (expired ??= []).Add(_live[i]!);
                }
            }
        }

        // Outside the lock: cancelling can run an exchange's continuation inline, which removes its entry.
        if (expired is not null)
        {
            foreach (var entry in expired)
            {
                entry.Cancel();
            }
        }
    }
}
