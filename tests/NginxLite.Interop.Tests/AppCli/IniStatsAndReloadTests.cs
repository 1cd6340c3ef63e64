using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
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

        using var stats = ReadStats(Path.Combine(dir.Path, "stats.sock"));
        var workers = stats.RootElement.GetProperty("workers").EnumerateArray().ToList();

        Assert.Equal(nginxlite.Pid, stats.RootElement.GetProperty("pid").GetInt32());
        Assert.Equal(nginxlite.Children().Order(), workers.Select(w => w.GetProperty("pid").GetInt32()).Order());
        Assert.Equal([1, 2], workers.Select(w => w.GetProperty("id").GetInt32()));
        // 3 requests, plus the readiness probe's empty connection(s).
        Assert.True(workers.Sum(w => w.GetProperty("requests").GetInt32()) >= 3);
        Assert.All(workers, w => Assert.Equal("idle", w.GetProperty("status").GetString()));
        Assert.All(workers, w => Assert.True(w.GetProperty("rss").GetInt64() > 0));
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
