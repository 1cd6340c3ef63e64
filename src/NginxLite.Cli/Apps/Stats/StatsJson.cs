using System.Text.Json;

namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// uWSGI's stats JSON (uWSGI docs, "The uWSGI Stats Server"; key set checked against uWSGI 2.0.21's output): every
/// top-level key and every <c>workers[]</c> key uWSGI writes, so readers such as uwsgitop (which reads
/// <c>version</c>, <c>listen_queue</c>, <c>uid</c>, <c>gid</c>, <c>pid</c> and per worker <c>id pid requests exceptions status
/// avg_rt rss vsz tx running_time last_spawn</c>) and the Telegraf/netdata collectors find what they look for.
/// Written with <see cref="Utf8JsonWriter"/> (no reflection: NativeAOT).
/// </summary>
internal static class StatsJson
{
    public const string Version = "2.0.21-nginxlite";

    public static byte[] Write(StatsSnapshot s)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("version", Version);
            w.WriteNumber("listen_queue", s.ListenQueue);
            w.WriteNumber("listen_queue_errors", 0);
            w.WriteNumber("signal_queue", 0);
            w.WriteNumber("load", s.Workers.Count(x => x.Busy));
            w.WriteNumber("pid", s.Pid);
            w.WriteNumber("uid", s.Uid);
            w.WriteNumber("gid", s.Gid);
            w.WriteString("cwd", s.Cwd);
            w.WriteStartArray("locks");
            w.WriteEndArray();
            w.WriteStartArray("sockets");
            foreach (var socket in s.Sockets)
            {
                w.WriteStartObject();
                w.WriteString("name", socket.Name);
                w.WriteString("proto", "uwsgi");
                w.WriteNumber("queue", socket.Queue);
                w.WriteNumber("max_queue", socket.Backlog);
                w.WriteNumber("shared", 0);
                w.WriteNumber("can_offload", 0);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("workers");
            foreach (var worker in s.Workers)
            {
                Worker(w, worker);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Worker(Utf8JsonWriter w, StatsWorker x)
    {
        w.WriteStartObject();
        w.WriteNumber("id", x.Id);
        w.WriteNumber("pid", x.Pid);
        w.WriteNumber("accepting", 1);
        w.WriteNumber("requests", x.Requests);
        w.WriteNumber("delta_requests", x.DeltaRequests);
        w.WriteNumber("exceptions", x.Exceptions);
        w.WriteNumber("harakiri_count", x.HarakiriCount);
        w.WriteNumber("signals", 0);
        w.WriteNumber("signal_queue", 0);
        w.WriteString("status", x.Busy ? "busy" : "idle");
        w.WriteNumber("rss", x.Rss);
        w.WriteNumber("vsz", x.Vsz);
        w.WriteNumber("running_time", x.RunningTime);
        w.WriteNumber("last_spawn", x.LastSpawn);
        w.WriteNumber("respawn_count", x.RespawnCount);
        w.WriteNumber("tx", x.Tx);
        w.WriteNumber("avg_rt", x.AvgRt);
        w.WriteStartArray("apps");
        w.WriteStartObject();
        w.WriteNumber("id", 0);
        w.WriteNumber("modifier1", 0);
        w.WriteString("mountpoint", "");
        w.WriteNumber("startup_time", 0);
        w.WriteNumber("requests", x.Requests);
        w.WriteNumber("exceptions", x.Exceptions);
        w.WriteString("chdir", "");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("cores");
        w.WriteStartObject();
        w.WriteNumber("id", 0);
        w.WriteNumber("requests", x.Requests);
        w.WriteNumber("static_requests", 0);
        w.WriteNumber("routed_requests", 0);
        w.WriteNumber("offloaded_requests", 0);
        w.WriteNumber("write_errors", 0);
        w.WriteNumber("read_errors", 0);
        w.WriteNumber("in_request", x.Busy ? 1 : 0);
        w.WriteStartArray("vars");
        w.WriteEndArray();
        w.WriteStartObject("req_info");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
