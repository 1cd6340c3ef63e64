namespace NginxLite.Apps;

/// <summary>One worker at one moment (status page, uWSGI stats server): the process and its slot's counters.</summary>
/// <param name="Id">1-based slot number (uWSGI's worker id).</param>
/// <param name="InFlight">Requests in flight now.</param>
/// <param name="Served">Requests served by this process (the max_requests count; uWSGI's delta_requests).</param>
/// <param name="Rss">Resident set size in bytes (/proc/PID/statm), 0 when gone.</param>
/// <param name="Counters">The slot's counters, kept across respawns.</param>
public sealed record AppWorkerSnapshot(int Id, int Pid, WorkerState State, int InFlight, long Served, long Rss, WorkerSlotCounters Counters)
{
    /// <summary>The slot's request count, read before <see cref="Served"/>: the pool counts a request in
    /// <see cref="Served"/> first, so a snapshot that sees it here sees it in <see cref="Served"/> too (the live
    /// <see cref="Counters"/> may have moved on since).</summary>
    public long Requests { get; init; }

    /// <summary>Virtual size in bytes (/proc/PID/statm's first field, uWSGI's <c>vsz</c>), 0 when gone.</summary>
    public long Vsz { get; init; }

    /// <summary>The worker's private Unix socket (its accept queue is where requests wait: the stats' listen_queue).</summary>
    public string Socket { get; init; } = "";
}
