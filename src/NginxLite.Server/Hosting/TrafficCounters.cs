namespace NginxLite.Server.Hosting;

/// <summary>
/// Requests, responses by status class and a latency histogram for one server name or one upstream, as
/// <c>nginxlite_status json;</c> reports them. Interlocked counters only: one request = four atomic adds.
/// </summary>
public sealed class TrafficCounters
{
    /// <summary>Upper bounds of the latency buckets in milliseconds (the last bucket is +Inf), Prometheus-style.</summary>
    public static readonly double[] BucketBoundsMs = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly long[] _classes = new long[6];
    private readonly long[] _buckets = new long[BucketBoundsMs.Length + 1];
    private long _requests;
    private long _latencyMicroseconds;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Responses whose status is in 1xx … 5xx; index 0 counts anything else (e.g. 0 or 444: closed without one).</summary>
    public long Responses(int statusClass) => Interlocked.Read(ref _classes[statusClass is >= 1 and <= 5 ? statusClass : 0]);

    /// <summary>Requests that took at most <see cref="BucketBoundsMs"/>[i] (not cumulative; the last one: longer).</summary>
    public long Bucket(int i) => Interlocked.Read(ref _buckets[i]);

    public double LatencySumMs => Interlocked.Read(ref _latencyMicroseconds) / 1000.0;

    internal void Record(int status, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _requests);
        var statusClass = status / 100;
        Interlocked.Increment(ref _classes[statusClass is >= 1 and <= 5 ? statusClass : 0]);
        var ms = elapsed.TotalMilliseconds;
        var bucket = 0;
        while (bucket < BucketBoundsMs.Length && ms > BucketBoundsMs[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Add(ref _latencyMicroseconds, (long)(elapsed.Ticks / 10));
    }
}
