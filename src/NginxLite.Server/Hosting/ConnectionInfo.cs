using System.Collections.Concurrent;
using System.Diagnostics;

namespace NginxLite.Server.Hosting;

/// <summary>
/// What nginx keeps per connection: its serial number (<c>$connection</c>, the error log's <c>*N</c>), the requests
/// started on it (<c>$connection_requests</c>, keepalive_requests), its start time (keepalive_time) and, from the
/// head filter, the length of each request head as received (<c>$request_length</c>), in order.
/// </summary>
internal sealed class ConnectionInfo
{
    private static long s_counter;

    private readonly ConcurrentQueue<int> _heads = new();

    public long Number { get; } = Interlocked.Increment(ref s_counter);

    public long Started { get; } = Stopwatch.GetTimestamp();

    private int _requests;

    /// <summary>Requests begun on this connection, the current one included (HTTP/2: streams, which may overlap).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>keepalive_timeout of the location the last response came from: how long the head filter waits for the
    /// next request.</summary>
    public TimeSpan KeepaliveTimeout { get; set; } = TimeSpan.FromSeconds(75);

    /// <summary>Called by the head filter for every head it passes on (pipelined heads are checked ahead of time).</summary>
    public void HeadChecked(int bytes) => _heads.Enqueue(bytes);

    /// <summary>Called once per request, in order: counts it (<paramref name="number"/>: its place on the connection)
    /// and returns its head length.</summary>
    public int BeginRequest(out int number)
    {
        number = Interlocked.Increment(ref _requests);
        return _heads.TryDequeue(out var n) ? n : 0;
    }

    /// <summary>The connection's entry in Kestrel's per-connection items.</summary>
    public static ConnectionInfo? From(IDictionary<object, object?>? items) =>
        items is not null && items.TryGetValue(typeof(ConnectionInfo), out var o) ? o as ConnectionInfo : null;
}
