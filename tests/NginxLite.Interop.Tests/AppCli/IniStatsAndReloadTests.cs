using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using NginxLite.Interop.Tests.Apps;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary><c>nginxlite --ini</c>'s uWSGI extras: the <c>stats</c> JSON server and <c>touch-reload</c>.</summary>
public sealed class IniStatsAndReloadTests
{
    [Fact]
    public void Stats_UnixSocket_WorkersWithPidsAndRequests()
    {
        using var dir = new TempDir("nl-ini-");
        AppCliPeers.CopySeed(dir, "myapp.py");
        dir.File("app.ini", "[uwsgi]\nmodule = myapp:app\nprocesses = 2\nsocket = app.sock\nstats = stats.sock\n");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);
        using var nginx = AppCliPeers.NginxInFront(dir.Dir("nginx"), socket);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, UpstreamClient.Get(nginx.Port, "/").Status);
        }

        // A request is counted when its worker connection closes (as uWSGI counts in uwsgi_close_request), a moment
        // after nginx has passed the last byte on: poll, as the other stats tests here do.
        JsonDocument? polled = null;
        Lifecycle.ProcessInterfaceSupport.Eventually(() =>
        {
            polled?.Dispose();
            polled = ReadStats(Path.Combine(dir.Path, "stats.sock"));
            return Requests(polled) >= 3;
        });
        using var stats = polled!;
        var workers = stats.RootElement.GetProperty("workers").EnumerateArray().ToList();

        Assert.Equal(nginxlite.Pid, stats.RootElement.GetProperty("pid").GetInt32());
        Assert.Equal(nginxlite.Children().Order(), workers.Select(w => w.GetProperty("pid").GetInt32()).Order());
        Assert.Equal([1, 2], workers.Select(w => w.GetProperty("id").GetInt32()));
        // 3 requests (the readiness probe's empty connections carry no request and are not counted).
        Assert.Equal(3, workers.Sum(w => w.GetProperty("requests").GetInt32()));
        Assert.All(workers, w => Assert.Equal("idle", w.GetProperty("status").GetString()));
        Assert.All(workers, w => Assert.True(w.GetProperty("rss").GetInt64() > 0));
    }

    private const string CountedApp = """
        import time

        def application(environ, start_response):
            path = environ["PATH_INFO"]
            if path == "/boom":
                raise RuntimeError("the app raised")
            if path == "/sleep":
                time.sleep(30)
            body = ("hello from %s\n" % path).encode()
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        """;

    [Fact]
    public void Stats_OkRaisingAndHarakiriRequests_CountersMoveByExactAmounts()
    {
        using var dir = new TempDir("nl-ini-");
        dir.File("counted.py", CountedApp);
        dir.File("app.ini", "[uwsgi]\nmodule = counted:application\nprocesses = 1\nsocket = app.sock\nstats = stats.sock\nharakiri = 1\n");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);
        var firstPid = Assert.Single(nginxlite.Children());

        // Straight to the public uwsgi socket: the relay passes the worker's bytes as they are, so what arrives here is
        // exactly what the worker sent (uWSGI's tx: head and body).
        var ok1 = UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/a")));
        var boom = UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/boom")));
        var ok2 = UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/bb")));
        var killed = UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/sleep")));
        var ok3 = UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/ccc"))); // on the respawned worker
        Assert.StartsWith("HTTP/1.1 500 ", System.Text.Encoding.ASCII.GetString(boom));
        Assert.Empty(killed);
        var tx = ok1.Length + boom.Length + ok2.Length + ok3.Length;

        JsonDocument? stats = null;
        // The counters move when the relay ends the request, just after the client has the last byte: poll.
        Assert.True(Lifecycle.ProcessInterfaceSupport.Eventually(() =>
        {
            stats?.Dispose();
            stats = ReadStats(Path.Combine(dir.Path, "stats.sock"));
            return stats.RootElement.GetProperty("workers")[0].GetProperty("requests").GetInt64() == 4;
        }), "requests did not reach 4");
        using var document = stats!;
        var worker = Assert.Single(document.RootElement.GetProperty("workers").EnumerateArray());

        Assert.Equal(4, worker.GetProperty("requests").GetInt64());
        Assert.Equal(1, worker.GetProperty("exceptions").GetInt64());
        Assert.Equal(1, worker.GetProperty("harakiri_count").GetInt64());
        Assert.Equal(tx, worker.GetProperty("tx").GetInt64());
        Assert.Equal(2, worker.GetProperty("respawn_count").GetInt64()); // the first spawn and the one after harakiri
        Assert.Equal(1, worker.GetProperty("delta_requests").GetInt64()); // the new process served /ccc
        Assert.True(worker.GetProperty("avg_rt").GetInt64() > 0, "avg_rt moved");
        Assert.True(worker.GetProperty("running_time").GetInt64() >= worker.GetProperty("avg_rt").GetInt64());
        Assert.NotEqual(firstPid, worker.GetProperty("pid").GetInt32());
        Assert.Equal(Assert.Single(nginxlite.Children()), worker.GetProperty("pid").GetInt32());
    }

    /// <summary>The same ini under real uWSGI and under nginxlite --ini, the same requests: each stats server's
    /// counters move by the same amounts (tx: by the bytes each one's client received).</summary>
    [Fact]
    public void Stats_SameTrafficAsRealUwsgi_CountersMoveAlike()
    {
        var deltas = new List<(long Requests, long Exceptions, long Respawns, long Harakiri, long Tx, long Received)>();
        foreach (var (program, args) in new[] { (AppCliPeers.Uwsgi, new[] { "--plugin", "python3", "--ini", "app.ini" }), (AppCliPeers.NginxLite, ["--ini", "app.ini"]) })
        {
            using var dir = new TempDir("nl-ini-");
            dir.File("counted.py", CountedApp);
            dir.File("app.ini", "[uwsgi]\nmaster = true\nmodule = counted:application\nprocesses = 1\nsocket = app.sock\nstats = stats.sock\n");
            var socket = Path.Combine(dir.Path, "app.sock");
            var statsPath = Path.Combine(dir.Path, "stats.sock");
            using var server = FrontEndProcess.Start(program, args, dir.Path, socket: socket, stopSignal: program == AppCliPeers.Uwsgi ? AppCliPeers.SigInt : PosixSignal.Term);
            Assert.True(Lifecycle.ProcessInterfaceSupport.Eventually(() => File.Exists(statsPath)), "no stats socket");
            var before = Worker(statsPath);
            var received = 0L;
            foreach (var path in new[] { "/a", "/boom", "/bb" })
            {
                received += UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", path))).Length;
            }

            (long, long, long, long, long) after = default;
            Assert.True(Lifecycle.ProcessInterfaceSupport.Eventually(() =>
            {
                after = Worker(statsPath);
                // uWSGI updates requests and tx one after the other in uwsgi_close_request: wait for both.
                return after.Item1 - before.Item1 == 3 && after.Item5 - before.Item5 >= received;
            }), $"{program}: requests did not move by 3 and tx by {received} ({before} → {after})");
            deltas.Add((after.Item1 - before.Item1, after.Item2 - before.Item2, after.Item3, after.Item4 - before.Item4, after.Item5 - before.Item5, received));
        }

        var (uwsgi, lite) = (deltas[0], deltas[1]);
        Assert.Equal((3L, 1L, 1L, 0L), (uwsgi.Requests, uwsgi.Exceptions, uwsgi.Respawns, uwsgi.Harakiri));
        Assert.Equal((uwsgi.Requests, uwsgi.Exceptions, uwsgi.Respawns, uwsgi.Harakiri), (lite.Requests, lite.Exceptions, lite.Respawns, lite.Harakiri));
        Assert.Equal(uwsgi.Received, uwsgi.Tx);
        Assert.Equal(lite.Received, lite.Tx);
    }

    private static (long Requests, long Exceptions, long Respawns, long Harakiri, long Tx) Worker(string statsPath)
    {
        using var stats = ReadStats(statsPath);
        var w = stats.RootElement.GetProperty("workers")[0];
        return (w.GetProperty("requests").GetInt64(), w.GetProperty("exceptions").GetInt64(), w.GetProperty("respawn_count").GetInt64(),
            w.GetProperty("harakiri_count").GetInt64(), w.GetProperty("tx").GetInt64());
    }

    [Fact]
    public void TouchReload_FileTouched_WorkersReplaced()
    {
        using var dir = new TempDir("nl-ini-");
        AppCliPeers.CopySeed(dir, "myapp.py");
        var trigger = dir.File("reload.txt", "");
        dir.File("app.ini", "[uwsgi]\nmodule = myapp:app\nprocesses = 2\nsocket = app.sock\ntouch-reload = reload.txt\n");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);
        using var nginx = AppCliPeers.NginxInFront(dir.Dir("nginx"), socket);
        Assert.Equal(200, UpstreamClient.Get(nginx.Port, "/").Status);
        var before = nginxlite.Children().ToHashSet();

        File.SetLastWriteTimeUtc(trigger, DateTime.UtcNow.AddSeconds(5));
        var clock = Stopwatch.StartNew();
        while (nginxlite.Children().Any(before.Contains) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(200);
        }

        var after = nginxlite.Children();
        Assert.Equal(2, before.Count);
        Assert.DoesNotContain(after, before.Contains);
        Assert.Equal(200, UpstreamClient.Get(nginx.Port, "/").Status);
    }

    private static int Requests(JsonDocument stats) =>
        stats.RootElement.GetProperty("workers").EnumerateArray().Sum(w => w.GetProperty("requests").GetInt32());

    private static JsonDocument ReadStats(string path)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(path));
        using var stream = new NetworkStream(s);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return JsonDocument.Parse(buffer.ToArray());
    }
}
