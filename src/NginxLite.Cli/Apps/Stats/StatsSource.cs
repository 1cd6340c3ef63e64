using NginxLite.Apps;

namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// Reads the supervisor's live counters into a <see cref="StatsSnapshot"/>: per worker its pid, requests served
/// since spawn, busy/idle (a request in flight), RSS and spawn time. The supervisor keeps no exception, byte, timing or
/// respawn counters yet, so <c>exceptions</c>, <c>tx</c>, <c>avg_rt</c>, <c>running_time</c>, <c>vsz</c> and
/// <c>respawn_count</c> are 0 (docs/apps-cli.md).
/// </summary>
internal static class StatsSource
{
    public static StatsSnapshot Snapshot(AppSupervisor apps, string? appName, IReadOnlyList<string> sockets, string cwd)
    {
        var workers = new List<StatsWorker>();
        if (appName is not null && apps.Find(appName) is AppPool pool)
        {
            foreach (var w in pool.Workers)
            {
                if (w is null)
                {
                    continue;
                }

                var spawned = w.ReadyAt == default ? 0 : new DateTimeOffset(w.ReadyAt.ToUniversalTime()).ToUnixTimeSeconds();
                workers.Add(new StatsWorker(w.Number, w.Pid, w.Served, w.InFlight > 0, w.ResidentBytes(), spawned, 0));
            }
        }

        return new StatsSnapshot(Environment.ProcessId, (int)Linux.Uid(), (int)Linux.Gid(), cwd, workers) { Sockets = sockets };
    }
}
