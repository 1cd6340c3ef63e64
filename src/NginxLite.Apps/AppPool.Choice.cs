using System.Net.Sockets;
using NginxLite.Handlers.Apps;
using NginxLite.Routing;

namespace NginxLite.Apps;

internal sealed partial class AppPool
{
    private int _roundRobin;

    /// <summary>
    /// A connection to the least-busy ready worker. While no worker is ready (all being respawned) it waits for one,
    /// as requests wait in uWSGI's listen queue, up to <paramref name="connectTimeout"/>. A worker that refuses the
    /// connect (it died a moment ago) is skipped. A pool replaced by a reload hands the request to its successor.
    /// </summary>
    public async ValueTask<AppLease?> ConnectAsync(TimeSpan connectTimeout, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + connectTimeout;
        HashSet<AppWorker>? refused = null;
        while (true)
        {
            if (IsStopping && Successor is { } next)
            {
                return await next.ConnectAsync(connectTimeout, cancel);
            }

            var worker = Choose(refused);
            if (worker is null)
            {
                if (DateTime.UtcNow >= deadline || (IsStopping && Successor is null))
                {
                    return null;
                }

                await Task.Delay(10, cancel);
                continue;
            }

            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                // A Unix-socket connect completes at once unless the worker's listen queue is full: only then is a
                // timer armed for the connect timeout (no linked source and timer per request).
                var connect = socket.ConnectAsync(worker.EndPoint, cancel);
                if (connect.IsCompleted)
                {
                    await connect; // refused: throws here
                }
                else
                {
                    var left = deadline - DateTime.UtcNow;
                    await connect.AsTask().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), cancel);
                }

                return new WorkerLease(this, worker, socket, Settings.Harakiri);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or TimeoutException)
            {
                socket.Dispose();
                worker.Abandon();
                cancel.ThrowIfCancellationRequested();
                if (e is OperationCanceledException or TimeoutException)
                {
                    return null; // connect timeout: the handler answers 502
                }

                (refused ??= []).Add(worker);
            }
        }
    }

    /// <summary>Fewest requests in flight among the ready workers; ties go round robin. Counts the request in.</summary>
    private AppWorker? Choose(HashSet<AppWorker>? refused)
    {
        lock (_slots)
        {
            AppWorker? best = null;
            var n = _slots.Length;
            var start = (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)n);
            for (var k = 0; k < n; k++)
            {
                var w = _slots[(start + k) % n];
                if (w is null || !w.IsReady || w.Retiring || w.IsGone || refused?.Contains(w) == true)
                {
                    continue;
                }

                if (best is null || w.InFlight < best.InFlight)
                {
                    best = w;
                }
            }

            best?.Enter();
            return best;
        }
    }

    /// <summary>A request on <paramref name="worker"/> ended (the worker's response status, 0 for none, and the bytes it
    /// sent go to its slot's counters): max_requests and reload_on_rss are checked here,
    /// between requests, as uWSGI does after each one.</summary>
    internal void RequestEnded(AppWorker worker, int status, long bytes, long micros)
    {
        // Leave first: a stats reader that sees the request counted sees the worker idle and its served count too.
        var served = worker.Leave();
        _counters[worker.Number - 1].RequestEnded(status, bytes, micros);
        if (worker.Retiring || IsStopping || worker.Recycling)
        {
            return;
        }

        string? reason = null;
        if (Settings.MaxRequests > 0 && served >= Settings.MaxRequests)
        {
            reason = $"max_requests {Settings.MaxRequests} reached";
        }
        else if (Settings.ReloadOnRss > 0 && worker.ResidentBytes() is var rss && rss > Settings.ReloadOnRss)
        {
            reason = $"rss {rss / 1024 / 1024} MiB over reload_on_rss";
        }

        if (reason is not null)
        {
            Recycle(worker, reason);
        }
    }

    /// <summary>harakiri: the request outlived its limit; the worker is killed and respawned (uWSGI's words).</summary>
    internal void Harakiri(AppWorker worker)
    {
        _counters[worker.Number - 1].Harakiri();
        _log(ErrorLevel.Error, $"app \"{Name}\": *** HARAKIRI ON WORKER {worker.Number} (pid: {worker.Pid}, try: 1) ***");
        worker.Kill();
    }
}
