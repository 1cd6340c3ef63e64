using System.Text.Json;
using NginxLite.Apps;
using NginxLite.Server.Hosting;

namespace NginxLite.Server.Http;

/// <summary>
/// The <c>apps</c> object of <c>nginxlite_status json;</c>: per pool the request counters of its app_pass traffic
/// (same shape as an upstream's) and its workers — pid, state, requests and the uWSGI stats-server counters of the
/// slot (docs/operations.md).
/// </summary>
internal static class AppPoolStatusJson
{
    private static readonly TrafficCounters None = new();

    public static void Write(Utf8JsonWriter json, IReadOnlyList<AppPoolSnapshot> pools, TrafficStats traffic)
    {
        json.WriteStartObject("apps");
        foreach (var pool in pools)
        {
            json.WriteStartObject(pool.Name);
            json.WriteNumber("processes", pool.Processes);
            TrafficStatusHandler.WriteCounters(json, traffic.App(pool.Name) ?? None);
            json.WriteStartArray("workers");
            foreach (var w in pool.Workers)
            {
                var c = w.Counters;
                json.WriteStartObject();
                json.WriteNumber("id", w.Id);
                json.WriteNumber("pid", w.Pid);
                json.WriteString("state", Name(w.State));
                json.WriteNumber("in_flight", w.InFlight);
                json.WriteNumber("requests", c.Requests);
                json.WriteNumber("requests_since_spawn", w.Served);
                // Times the slot's worker was replaced (uWSGI's respawn_count counts the first spawn too).
                json.WriteNumber("respawns", Math.Max(0, c.RespawnCount - 1));
                json.WriteNumber("exceptions", c.Exceptions);
                json.WriteNumber("harakiri_count", c.HarakiriCount);
                json.WriteNumber("tx", c.Tx);
                json.WriteNumber("avg_rt_us", c.AvgRt);
                json.WriteNumber("rss", w.Rss);
                json.WriteNumber("last_spawn", c.LastSpawn == default ? 0 : new DateTimeOffset(c.LastSpawn).ToUnixTimeSeconds());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static string Name(WorkerState state) => state switch
    {
        WorkerState.Starting => "starting",
        WorkerState.Idle => "idle",
        WorkerState.Busy => "busy",
        WorkerState.Stopping => "stopping",
        _ => "dead",
    };
}
