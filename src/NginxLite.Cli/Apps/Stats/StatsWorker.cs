namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// One worker as uWSGI's stats server reports it (StatsServer docs, <c>workers[]</c>). <c>signals</c> is always 0:
/// NginxLite has no uWSGI signal framework (docs/apps-cli.md).
/// </summary>
/// <param name="Id">1-based worker number (uWSGI's <c>id</c>).</param>
/// <param name="Busy">True while a request is in flight (<c>status</c> "busy", else "idle").</param>
/// <param name="Requests">Requests of the slot since the pool started (uWSGI keeps them across respawns).</param>
/// <param name="LastSpawn">Unix seconds of the worker's start.</param>
/// <param name="RespawnCount">Spawns of the slot, the first one included (uWSGI's uwsgi_respawn_worker counts it).</param>
internal sealed record StatsWorker(int Id, int Pid, long Requests, bool Busy, long Rss, long LastSpawn, int RespawnCount)
{
    /// <summary>Requests of the current process (uWSGI's <c>delta_requests</c>, what max-requests counts).</summary>
    public long DeltaRequests { get; init; }

    public long Exceptions { get; init; }
    public long HarakiriCount { get; init; }
    public long Tx { get; init; }

    /// <summary>Average response time in microseconds (uWSGI's unit).</summary>
    public long AvgRt { get; init; }

    public long Vsz { get; init; }

    /// <summary>Total time spent in requests, microseconds.</summary>
    public long RunningTime { get; init; }
}
