namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// One worker as uWSGI's stats server reports it (StatsServer docs, <c>workers[]</c>). Counters the supervisor does
/// not keep are 0 (see docs/apps-cli.md: exceptions, tx, avg_rt, vsz).
/// </summary>
/// <param name="Id">1-based worker number (uWSGI's <c>id</c>).</param>
/// <param name="Busy">True while a request is in flight (<c>status</c> "busy", else "idle").</param>
/// <param name="LastSpawn">Unix seconds of the worker's start.</param>
internal sealed record StatsWorker(int Id, int Pid, long Requests, bool Busy, long Rss, long LastSpawn, int RespawnCount)
{
    public long Exceptions { get; init; }
    public long HarakiriCount { get; init; }
    public long Tx { get; init; }

    /// <summary>Average response time in microseconds (uWSGI's unit).</summary>
    public long AvgRt { get; init; }

    public long Vsz { get; init; }

    /// <summary>Total time spent in requests, microseconds.</summary>
    public long RunningTime { get; init; }
}
