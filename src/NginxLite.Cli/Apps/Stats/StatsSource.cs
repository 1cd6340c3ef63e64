using NginxLite.Apps;

namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// Reads the supervisor's live counters into a <see cref="StatsSnapshot"/>: one entry per worker slot (uWSGI's worker
/// id) with its pid, busy/idle, RSS, spawn time and the slot's counters (requests, exceptions, harakiri_count, tx,
/// avg_rt, running_time, respawn_count — kept across respawns, as uWSGI keeps them; see
/// <see cref="WorkerSlotCounters"/>) and <c>vsz</c>. <c>listen_queue</c> is the connections waiting in the accept
/// queues of the public uwsgi socket and of the workers' private sockets, read with sock_diag
/// (<see cref="UnixListenQueues"/>), plus the requests app_pass or the relay queued in the master for a free worker
/// connection (<see cref="AppPoolSnapshot.Queued"/>): all wait as they would in uWSGI's shared socket.
/// </summary>
internal static class StatsSource
{
    public static StatsSnapshot Snapshot(AppSupervisor apps, string? appName, IReadOnlyList<string> sockets, string cwd)
    {
        var workers = new List<StatsWorker>();
        var queues = UnixListenQueues.Read();
        var listenQueue = 0;
        if (appName is not null && apps.Snapshot(appName) is { } pool)
        {
            // Every live worker's socket, the draining ones too: a connection queued there is still waiting.
            listenQueue += pool.Workers.Sum(w => queues.TryGetValue(w.Socket, out var q) ? q.Queue : 0) + pool.Queued;
            // The slot's current worker comes first; a replacement still starting or an old one draining is skipped.
            foreach (var w in pool.Workers.DistinctBy(w => w.Id))
            {
                var c = w.Counters;
                var spawned = c.LastSpawn == default ? 0 : new DateTimeOffset(c.LastSpawn).ToUnixTimeSeconds();
                workers.Add(new StatsWorker(w.Id, w.Pid, w.Requests, w.State == WorkerState.Busy, w.Rss, spawned, (int)c.RespawnCount)
                {
                    DeltaRequests = w.Served,
                    Exceptions = c.Exceptions,
                    HarakiriCount = c.HarakiriCount,
                    Tx = c.Tx,
                    AvgRt = c.AvgRt,
                    RunningTime = c.RunningTime,
                    Vsz = w.Vsz,
                });
            }
        }

        var publicSockets = sockets
            .Select(s => queues.TryGetValue(Path.GetFullPath(s, cwd), out var q) ? new StatsSocket(s, q.Queue, q.Backlog) : new StatsSocket(s))
            .ToList();
        listenQueue += publicSockets.Sum(s => s.Queue);
        return new StatsSnapshot(Environment.ProcessId, (int)Linux.Uid(), (int)Linux.Gid(), cwd, workers)
        {
            Sockets = publicSockets,
            ListenQueue = listenQueue,
        };
    }
}
