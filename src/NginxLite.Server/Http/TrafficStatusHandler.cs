using System.Text.Json;
using NginxLite.Apps;
using NginxLite.Handlers;
using NginxLite.Server.Hosting;

namespace NginxLite.Server.Http;

/// <summary>
/// <c>nginxlite_status json;</c>: the stub_status connection counters plus per-server, per-upstream and per-app-pool
/// requests, responses by status class and a latency histogram, and each pool's workers, as one JSON document
/// (docs/operations.md has the shape). GET and HEAD only (405 otherwise), like stub_status.
/// </summary>
internal sealed class TrafficStatusHandler(ConnectionStats connections, TrafficStats traffic, AppSupervisor apps) : IContentHandler
{
    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request) =>
        StatusResponse.SendAsync(request, "application/json", Render, cacheControl: "no-cache");

    internal byte[] Render()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("connections");
            json.WriteNumber("active", connections.Active);
            json.WriteNumber("accepted", connections.Accepted);
            json.WriteNumber("handled", connections.Accepted);
            json.WriteNumber("requests", connections.Requests);
            json.WriteNumber("writing", connections.Writing);
            json.WriteNumber("waiting", connections.Waiting);
            json.WriteEndObject();
            WriteGroup(json, "servers", traffic.Servers);
            WriteGroup(json, "upstreams", traffic.Upstreams);
            AppPoolStatusJson.Write(json, apps.Snapshot(), traffic);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteGroup(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, TrafficCounters>> group)
    {
        json.WriteStartObject(name);
        foreach (var (key, counters) in group)
        {
            json.WriteStartObject(key);
            WriteCounters(json, counters);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary><c>requests</c>, <c>responses</c> by class and <c>latency_ms</c> of one server, upstream or app pool.</summary>
    internal static void WriteCounters(Utf8JsonWriter json, TrafficCounters counters)
    {
        json.WriteNumber("requests", counters.Requests);
        json.WriteStartObject("responses");
        for (var c = 1; c <= 5; c++)
        {
            json.WriteNumber($"{c}xx", counters.Responses(c));
        }

        json.WriteNumber("other", counters.Responses(0));
        json.WriteEndObject();
        json.WriteStartObject("latency_ms");
        json.WriteNumber("sum", Math.Round(counters.LatencySumMs, 3));
        json.WriteStartArray("buckets");
        var cumulative = 0L;
        for (var i = 0; i <= TrafficCounters.BucketBoundsMs.Length; i++)
        {
            // Cumulative counts with "le" bounds, as Prometheus histograms, so an exporter can pass them on.
            cumulative += counters.Bucket(i);
            json.WriteStartObject();
            if (i < TrafficCounters.BucketBoundsMs.Length)
            {
                json.WriteNumber("le", TrafficCounters.BucketBoundsMs[i]);
            }
            else
            {
                json.WriteString("le", "+Inf");
            }

            json.WriteNumber("count", cumulative);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
