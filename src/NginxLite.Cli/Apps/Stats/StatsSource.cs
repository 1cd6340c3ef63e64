using NginxLite.Apps;

namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// Reads the supervisor's live counters into a <see cref="StatsSnapshot"/>: one entry per worker slot (uWSGI's worker
/// id) with its pid, busy/idle, RSS, spawn time and the slot's counters (requests, exceptions, harakiri_count, tx,
/// avg_rt, running_time, respawn_count — kept across respawns, as uWSGI keeps them; see
/// <see cref="WorkerSlotCounters"/>). <c>vsz</c> stays 0 (docs/apps-cli.md).
/// </summary>
internal static class StatsSource
{
    public static StatsSnapshot Snapshot(AppSupervisor apps, string? appName, IReadOnlyList<string> sockets, string cwd)
    {
        var workers = new List<StatsWorker>();
        if (appName is not null && apps.Snapshot(appName) is { } pool)
        {
            // The slot's current worker comes first; a replacement still starting or an old one draining is skipped.
            foreach (var w in pool.Workers.DistinctBy(w => w.Id))
            {
                var c = w.Counters;
                var spawned = c.LastSpawn == default ? 0 : new DateTimeOffset(c.LastSpawn).ToUnixTimeSeconds();
                workers.Add(new StatsWorker(w.Id, w.Pid, c.Requests, w.State == WorkerState.Busy, w.Rss, spawned, (int)c.RespawnCount)
                {
                    DeltaRequests = w.Served,
                    Exceptions = c.Exceptions,
                    HarakiriCount = c.HarakiriCount,
                    Tx = c.Tx,
                    AvgRt = c.AvgRt,
                    RunningTime = c.RunningTime,
                });
            }
        }

        return new StatsSnapshot(Environment.ProcessId, (int)Linux.Uid(), (int)Linux.Gid(), cwd, workers) { Sockets = sockets };
    }
}
