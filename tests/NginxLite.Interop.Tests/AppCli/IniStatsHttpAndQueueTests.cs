using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Apps;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary>
/// The stats server's <c>stats-http</c> (differential against real uWSGI 2.0.21: the same head bytes, the same keys)
/// and its live <c>listen_queue</c> and <c>vsz</c>, checked against what <c>ss -lx</c> and /proc/PID/stat say.
/// </summary>
public sealed class IniStatsHttpAndQueueTests
{
    private const string SleepyApp = """
        import time

        def application(environ, start_response):
            if environ["PATH_INFO"] == "/sleep":
                time.sleep(60)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        """;

    private static byte[] HttpGet(int port)
    {
        using var client = new TcpClient("127.0.0.1", port);
        client.ReceiveTimeout = 30_000;
        var stream = client.GetStream();
        stream.Write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8);
        using var received = new MemoryStream();
        stream.CopyTo(received);
        return received.ToArray();
    }

    private static HashSet<string> Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void StatsHttp_SameIniAsRealUwsgi_SameHeadBytesAndKeys()
    {
        var answers = new List<byte[]>();
        foreach (var (program, args) in new[] { (AppCliPeers.Uwsgi, new[] { "--plugin", "python3", "--ini", "app.ini" }), (AppCliPeers.NginxLite, ["--ini", "app.ini"]) })
        {
            using var dir = new TempDir("nl-stats-");
            dir.File("sleepy.py", SleepyApp);
            var port = AppCliPeers.Port();
            dir.File("app.ini", $"[uwsgi]\nmaster = true\nmodule = sleepy:application\nprocesses = 2\nsocket = app.sock\nstats = 127.0.0.1:{port}\nstats-http = true\n");
            var socket = Path.Combine(dir.Path, "app.sock");
            using var server = FrontEndProcess.Start(program, args, dir.Path, socket: socket, stopSignal: program == AppCliPeers.Uwsgi ? AppCliPeers.SigInt : PosixSignal.Term);
            Assert.StartsWith("HTTP/1.1 200 OK", Encoding.ASCII.GetString(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/")))));
            answers.Add(HttpGet(port));
        }

        var (uwsgiHead, uwsgiBody) = UwsgiClient.Split(answers[0]);
        var (liteHead, liteBody) = UwsgiClient.Split(answers[1]);
        Assert.Equal("HTTP/1.0 200 OK\r\nConnection: close\r\nAccess-Control-Allow-Origin: *\r\nContent-Type: application/json", uwsgiHead);
        Assert.Equal(uwsgiHead, liteHead);
        using var uwsgi = JsonDocument.Parse(uwsgiBody);
        using var lite = JsonDocument.Parse(liteBody);
        Assert.Equal(Keys(uwsgi.RootElement).Order(), Keys(lite.RootElement).Order());
        Assert.Equal(Keys(uwsgi.RootElement.GetProperty("workers")[0]).Order(), Keys(lite.RootElement.GetProperty("workers")[0]).Order());
        Assert.Equal(2, lite.RootElement.GetProperty("workers").GetArrayLength());
    }

    /// <summary>Recv-Q of every listening Unix socket whose path satisfies <paramref name="match"/>, as ss(8) prints them.</summary>
    private static int SsQueue(Func<string, bool> match)
    {
        using var ss = Process.Start(new ProcessStartInfo("/usr/bin/ss", "-lxn") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        var total = 0;
        foreach (var line in output.Split('\n').Skip(1))
        {
            // Netid State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
            var fields = Regex.Split(line.Trim(), @"\s+");
            if (fields.Length >= 5 && match(fields[4]))
            {
                total += int.Parse(fields[2], CultureInfo.InvariantCulture);
            }
        }

        return total;
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

    [Fact]
    public void Stats_BusyWorkerWithQueuedRequests_ListenQueueAsSsSays_VszAsProcSays()
    {
        using var dir = new TempDir("nl-stats-");
        dir.File("sleepy.py", SleepyApp);
        dir.File("app.ini", "[uwsgi]\nmodule = sleepy:application\nprocesses = 1\nsocket = app.sock\nstats = stats.sock\n");
        var socket = Path.Combine(dir.Path, "app.sock");
        var statsPath = Path.Combine(dir.Path, "stats.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);
        var worker = Assert.Single(nginxlite.Children());
        Assert.True(AppCliPeers.Eventually(() => File.Exists(statsPath)), "no stats socket"); // bound a moment after the app socket

        // The one worker sleeps on the first request; the next three wait in the master's queue for its one connection
        // (docs/apps.md, "Choice"), or on the public socket until the relay accepts them.
        var clients = new List<Socket>();
        try
        {
            foreach (var path in new[] { "/sleep", "/a", "/b", "/c" })
            {
                var c = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                clients.Add(c);
                c.Connect(new UnixDomainSocketEndPoint(socket));
                c.Send(UwsgiClient.Packet(UwsgiClient.Vars("GET", path)));
            }

            var workerSocket = WorkerSocket(worker);
            Assert.Contains("/worker-1.", workerSocket);
            JsonDocument? stats = null;
            var ss = -1;
            var ssPublic = -1;
            // Connections move from the public socket's queue to the master's as the relay accepts them, so the
            // stats and ss are compared once two readings around one stats read agree (the total is 3 throughout;
            // the worker's own socket queues nothing: the master holds one connection per worker thread).
            Assert.True(AppCliPeers.Eventually(() =>
            {
                stats?.Dispose();
                var before = SsQueue(p => p == socket);
                stats = ReadStats(statsPath);
                ss = SsQueue(p => p == workerSocket || p == socket);
                ssPublic = SsQueue(p => p == socket);
                return stats.RootElement.GetProperty("listen_queue").GetInt32() == 3 && ss == ssPublic && before == ssPublic
                    && stats.RootElement.GetProperty("sockets")[0].GetProperty("queue").GetInt32() == ssPublic;
            }), $"listen_queue {stats?.RootElement.GetProperty("listen_queue")}, ss {ss}, public {ssPublic}\n{nginxlite.Output}");
            using var document = stats!;
            Assert.Equal(3, document.RootElement.GetProperty("listen_queue").GetInt32());
            Assert.Equal(0, SsQueue(p => p == workerSocket));

            var w = Assert.Single(document.RootElement.GetProperty("workers").EnumerateArray());
            Assert.Equal(worker, w.GetProperty("pid").GetInt32());
            Assert.Equal("busy", w.GetProperty("status").GetString());
            Assert.Equal(0, w.GetProperty("signals").GetInt32());
            // /proc/PID/stat field 23 is vsize in bytes; uWSGI (and the stats server) read statm's pages.
            var stat = File.ReadAllText($"/proc/{worker}/stat");
            var vsize = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[20], CultureInfo.InvariantCulture);
            Assert.True(vsize > 0);
            Assert.Equal(vsize, w.GetProperty("vsz").GetInt64());
            var socketEntry = Assert.Single(document.RootElement.GetProperty("sockets").EnumerateArray());
            // The relay accepts when a worker can take the connection: the rest wait on the public socket.
            Assert.Equal(ssPublic, socketEntry.GetProperty("queue").GetInt32());
            Assert.True(socketEntry.GetProperty("max_queue").GetInt32() > 0);
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>The worker's private socket, from its command line (--socket PATH, the worker contract).</summary>
    private static string WorkerSocket(int pid)
    {
        var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        var at = Array.IndexOf(cmdline, "--socket");
        return at >= 0 && at + 1 < cmdline.Length ? cmdline[at + 1] : "";
    }
}
