namespace NginxLite.Handlers.Cgi;

/// <summary>
/// <c>cgi_max_procs</c>: how many CGI scripts run at once in the whole server. A request starts its script only while
/// fewer than its location's cap run; otherwise it waits in one FIFO queue as a task (no thread). A slot is held from
/// the spawn until the script is reaped, so a script that lingers after closing stdout still counts. A waiter whose
/// client goes away, or whose wait outlasts <c>cgi_timeout</c>, leaves the queue and never starts its script.
/// Why: 50 Python start-ups at once on 2 cores all finish late (each gets 1/50 of the CPU); fcgiwrap runs
/// <c>-c N</c> at a time and answers the first ones early (docs/cgi.md, "Concurrency cap").
/// </summary>
public sealed class CgiProcessGate
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private int _running;

    /// <summary>The one gate of the process: caps count scripts of every location and survive reloads.</summary>
    public static CgiProcessGate Shared { get; } = new();

    /// <summary>Scripts holding a slot now.</summary>
    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>Requests waiting for a slot now.</summary>
    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>A slot, once fewer than <paramref name="limit"/> scripts run and every earlier waiter that fits has
    /// one. Throws <see cref="OperationCanceledException"/> when <paramref name="cancel"/> fires first (the waiter
    /// has then left the queue).</summary>
    public ValueTask<Slot> EnterAsync(int limit, CancellationToken cancel)
    {
        Waiter waiter;
        lock (_lock)
        {
            // Every waiter that fits was granted at the last release, so one with room now overtakes only waiters
            // whose (smaller) caps are full — the rule Release follows too.
            if (_running < limit)
            {
                _running++;
                return ValueTask.FromResult(new Slot(this));
            }

            waiter = new Waiter(limit);
            waiter.Node = _queue.AddLast(waiter);
        }

        return new ValueTask<Slot>(WaitAsync(waiter, cancel));
    }

    private async Task<Slot> WaitAsync(Waiter waiter, CancellationToken cancel)
    {
        await using (cancel.Register(() => Abandon(waiter)))
        {
            await waiter.Granted.Task;
        }

        var slot = new Slot(this);
        if (cancel.IsCancellationRequested)
        {
            // Granted just as the client left: hand the slot on rather than start a script nobody reads.
            slot.Dispose();
            cancel.ThrowIfCancellationRequested();
        }

        return slot;
    }

    /// <summary>The client left or the wait timed out: out of the queue, unless the slot was granted meanwhile (then
    /// the grant is handed back).</summary>
    private void Abandon(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is not null)
            {
                _queue.Remove(waiter.Node);
                waiter.Granted.TrySetCanceled();
                return;
            }
        }

        // Granted in between: the task completes normally and the caller, seeing its token cancelled, releases.
    }

    private void Release()
    {
        List<Waiter>? granted = null;
        lock (_lock)
        {
            _running--;
            // FIFO, but a waiter whose location allows fewer scripts than now run does not hold up one that allows more.
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                if (_running < node.Value.Limit)
                {
                    _queue.Remove(node);
                    _running++;
                    (granted ??= []).Add(node.Value);
                }

                node = next;
            }
        }

        // Completed outside the lock; continuations run asynchronously (the waiter's own request, not this thread).
        foreach (var w in granted ?? [])
        {
            w.Granted.TrySetResult();
        }
    }

    private sealed class Waiter(int limit)
    {
        public int Limit { get; } = limit;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One running script's place; <see cref="Dispose"/> (once) lets the next waiter start.</summary>
    public sealed class Slot(CgiProcessGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
