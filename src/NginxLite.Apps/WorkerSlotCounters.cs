namespace NginxLite.Apps;

/// <summary>
/// The counters of one worker slot (uWSGI's <c>uwsgi.workers[id]</c>), kept across respawns as uWSGI keeps them and
/// reported by its stats server (uWSGI docs, "The uWSGI Stats Server"; core/utils.c uwsgi_close_request): requests,
/// exceptions, harakiri_count, tx (response bytes, head and body), avg_rt (<c>avg = (avg + rt) / 2</c> in
/// microseconds), running_time and respawn_count (1 after the first spawn: uWSGI spawns through
/// uwsgi_respawn_worker too). Interlocked only: a request adds to them without a lock or an allocation.
/// </summary>
public sealed class WorkerSlotCounters
{
    private long _requests;
    private long _exceptions;
    private long _harakiri;
    private long _tx;
    private long _avgRt;
    private long _runningTime;
    private long _respawns;
    private long _lastSpawnTicks;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests the app answered with 500 (the shims answer 500 when the application raised, PEP 3333's
    /// "the server should treat this as an error"; uWSGI counts the exception in uwsgi_manage_exception).</summary>
    public long Exceptions => Interlocked.Read(ref _exceptions);

    public long HarakiriCount => Interlocked.Read(ref _harakiri);

    public long Tx => Interlocked.Read(ref _tx);

    /// <summary>uWSGI's running average response time, microseconds.</summary>
    public long AvgRt => Interlocked.Read(ref _avgRt);

    /// <summary>Total time spent in requests, microseconds.</summary>
    public long RunningTime => Interlocked.Read(ref _runningTime);

    public long RespawnCount => Interlocked.Read(ref _respawns);

    /// <summary>When the slot's current worker was started (UTC), or default before the first spawn.</summary>
    public DateTime LastSpawn => new(Interlocked.Read(ref _lastSpawnTicks), DateTimeKind.Utc);

    internal void Spawned()
    {
        Interlocked.Increment(ref _respawns);
        Interlocked.Exchange(ref _lastSpawnTicks, DateTime.UtcNow.Ticks);
    }

    internal void Harakiri() => Interlocked.Increment(ref _harakiri);

    /// <summary>One request ended on this slot's worker: <paramref name="status"/> is the worker's response status,
    /// <paramref name="bytes"/> what the worker sent (head and body). No response head (status 0: the worker died or
    /// was killed by harakiri, or the connection carried no request) is not counted: uWSGI counts a request in
    /// uwsgi_close_request, which a dead worker never reaches.</summary>
    internal void RequestEnded(int status, long bytes, long micros)
    {
        if (status == 0)
        {
            return;
        }

        if (status == 500)
        {
            Interlocked.Increment(ref _exceptions);
        }

        Interlocked.Add(ref _tx, bytes);
        Interlocked.Add(ref _runningTime, micros);
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _avgRt);
            next = (seen + micros) / 2;
        }
        while (Interlocked.CompareExchange(ref _avgRt, next, seen) != seen);

        // Last (each Interlocked op is a full fence): a reader that sees this request counted sees its tx, exceptions
        // and times too.
        Interlocked.Increment(ref _requests);
    }
}
