using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Apps;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;
using static NginxLite.Interop.Tests.Support.ProcFs;

namespace NginxLite.Interop.Tests.Privileged;

/// <summary>
/// What a real nginxlite started as root with <c>user nobody nogroup;</c> can no longer do itself after the drop and
/// asks its root helper for (docs/cgi.md, "Privileged helper"): a reload's new port below 1024, a USR1 reopen in a
/// log directory only root may enter, a reload's new app pool of another account.
/// </summary>
public sealed class PrivilegedReloadInteropTests : IDisposable
{
    private const string User = "user nobody nogroup;";
    private readonly TempDir _dir = new("nginxlite-helper-reload-");

    public PrivilegedReloadInteropTests() => TestUsers.Ensure();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reload_AddsPortBelow1024AfterDrop_NewPortAnswersServerStaysDropped()
    {
        using var server = Start(port => Config($"listen 127.0.0.1:{port};"));
        var low = FreeLowPort();

        Reload(server, Config($"listen 127.0.0.1:{server.Port}; listen 127.0.0.1:{low};"));

        Assert.True(WaitUntil(() => TryGet(low) == "ok\n"), $"port {low} does not answer after the reload:\n{Log(server)}");
        Assert.Equal("ok\n", TryGet(server.Port));
        Assert.Equal(TestUsers.Uid("nobody"), Status(server.Pid).Uid); // the server itself still runs as nobody
        Assert.DoesNotContain("reload failed", Log(server), StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_AddsPortBelow1024InConfigTheUserOwns_HelperRefusesAndAlerts()
    {
        using var server = Start(port => Config($"listen 127.0.0.1:{port};"));
        var low = FreeLowPort();
        var config = Path.Combine(server.Prefix, "conf", "server.conf");
        var text = Config($"listen 127.0.0.1:{server.Port}; listen 127.0.0.1:{low};");
        File.WriteAllText(config, text);
        TestUsers.Run("chown", "nobody", config); // what a compromised server running as `user` could have written

        Reload(server, text);

        var alert = $"[alert] privileged helper: refusing to trust the configuration: configuration file \"{config}\" is owned by uid {TestUsers.Uid("nobody")}, not by root";
        Assert.True(WaitUntil(() => server.Describe().Contains(alert, StringComparison.Ordinal)), server.Describe());
        Assert.True(WaitUntil(() => Log(server).Contains("reload failed", StringComparison.Ordinal)), Log(server));
        Assert.Null(TryGet(low));
        Assert.Equal("ok\n", TryGet(server.Port)); // the old configuration keeps serving
    }

    [Fact]
    public void Reload_AddsUnixSocketInRootOnlyDirectory_SocketAnswersWithConfiguredMode()
    {
        var run = _dir.Dir("rootrun");
        File.SetUnixFileMode(run, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // 0700 root
        var socket = Path.Combine(run, "lite.sock");
        using var server = Start(port => Config($"listen 127.0.0.1:{port};"));

        Reload(server, "chmod_socket 660;\n" + Config($"listen 127.0.0.1:{server.Port}; listen unix:{socket};"));

        Assert.True(WaitUntil(() => GetUnix(socket) is { } r && r.EndsWith("\r\n\r\nok\n", StringComparison.Ordinal)),
            $"{socket} does not answer after the reload:\n{Log(server)}");
        Assert.Equal((UnixFileMode)0x1B0, File.GetUnixFileMode(socket) & (UnixFileMode)0x1FF); // 0660, set by the helper
        Assert.Equal(TestUsers.Uid("nobody"), Status(server.Pid).Uid);
    }

    [Fact]
    public void Usr1_AccessLogInRootOnlyDirectory_RenamedLogReplacedAndReceivesLines()
    {
        var logs = _dir.Dir("rootlogs");
        File.SetUnixFileMode(logs, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // 0700 root
        var access = Path.Combine(logs, "access.log");
        using var server = Start(port => Config($"listen 127.0.0.1:{port}; access_log {access};"));
        Assert.Equal("ok\n", TryGet(server.Port, "/before"));
        Assert.True(WaitUntil(() => File.Exists(access) && File.ReadAllText(access).Contains("/before", StringComparison.Ordinal)), Log(server));

        File.Move(access, access + ".1"); // logrotate's rename
        Assert.True(PosixSignal.Send(server.Pid, 10)); // SIGUSR1
        Assert.True(WaitUntil(() => File.Exists(access)), $"no new {access} after USR1:\n{Log(server)}");
        Assert.Equal("ok\n", TryGet(server.Port, "/after"));

        Assert.True(WaitUntil(() => File.ReadAllText(access).Contains("/after", StringComparison.Ordinal)), Log(server));
        Assert.DoesNotContain("/after", File.ReadAllText(access + ".1"), StringComparison.Ordinal);
        Assert.Equal(TestUsers.Uid("nobody"), Status(server.Pid).Uid);
    }

    [Fact]
    public void Reload_AddsAppOfAnotherAccount_WorkerRunsAsThatAccount()
    {
        var app = _dir.Dir("app");
        _dir.File("app/uid_app.py", """
            import os

            def application(environ, start_response):
                body = f"{os.getuid()} {os.getgid()} {os.getpid()}".encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            """);
        using var server = Start(port => Config($"listen 127.0.0.1:{port};"));

        Reload(server, Config($"listen 127.0.0.1:{server.Port};", $"app a {{ module uid_app; chdir {app}; user {TestUsers.Cgi}; }}",
            "location /app/ { app_pass a; }"));

        string? body = null;
        Assert.True(WaitUntil(() => (body = TryGet(server.Port, "/app/")) is { } b && b != "ok\n"), $"no app after the reload:\n{Log(server)}");
        var ids = body!.Split(' ');
        Assert.Equal([TestUsers.Uid(TestUsers.Cgi).ToString(), TestUsers.Gid(TestUsers.Cgi).ToString()], ids[..2]);
        var worker = Status(int.Parse(ids[2]));
        Assert.Equal(TestUsers.Uid(TestUsers.Cgi), worker.Uid); // /proc/PID/status of the worker itself
        Assert.NotEqual(server.Pid, worker.PPid); // the helper's child: the dropped server could not have spawned it
        Assert.Equal(TestUsers.Uid("nobody"), Status(server.Pid).Uid);
    }

    private ServerProcess Start(Func<int, string> config)
    {
        var server = ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), config);
        // The port accepts before the helper is up and the drop done; requests are held until then (bounded wait).
        WaitUntil(() => TryGet(server.Port) == "ok\n");
        return server;
    }

    private static string Config(string listen, string apps = "", string locations = "") => $$"""
        {{User}}
        error_log logs/error.log notice;
        events {}
        http {
            access_log off;
            {{apps}}
            server {
                {{listen}}
                location / { return 200 "ok\n"; }
                {{locations}}
            }
        }
        """;

    /// <summary>Writes the new config and sends SIGHUP until the server logs that it reconfigures (a HUP that lands in
    /// the moment between the first answer and the end of startup is ignored, as before start).</summary>
    private static void Reload(ServerProcess server, string config)
    {
        File.WriteAllText(Path.Combine(server.Prefix, "conf", "server.conf"), config);
        const string Marker = "signal 1 (SIGHUP) received, reconfiguring";
        var clock = Stopwatch.StartNew();
        do
        {
            Assert.True(PosixSignal.Send(server.Pid, PosixSignal.Hup));
        }
        while (!WaitUntil(() => Log(server).Contains(Marker, StringComparison.Ordinal), TimeSpan.FromSeconds(2)) && clock.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Contains(Marker, Log(server), StringComparison.Ordinal);
    }

    /// <summary>A port in 600–999 on 127.0.0.1 that this (root) test process could bind a moment ago.</summary>
    private static int FreeLowPort()
    {
        for (var port = 600 + Random.Shared.Next(400); ; port = port == 999 ? 600 : port + 1)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next one
            }
        }
    }

    private static string? TryGet(int port, string path = "/")
    {
        try
        {
            var r = RawHttpClient.Send(port, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(10));
            return r.Status == 200 ? Encoding.UTF8.GetString(r.Body) : null;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return null;
        }
    }

    private static string? GetUnix(string path)
    {
        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.ReceiveTimeout = 10_000;
            s.Connect(new UnixDomainSocketEndPoint(path));
            s.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            var response = new MemoryStream();
            var buffer = new byte[4096];
            int n;
            while ((n = s.Receive(buffer)) > 0)
            {
                response.Write(buffer, 0, n);
            }

            return Encoding.ASCII.GetString(response.ToArray());
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static bool WaitUntil(Func<bool> condition, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            Thread.Sleep(50);
        }

        return condition();
    }

    private static string Log(ServerProcess server) => File.Exists(server.ErrorLog) ? File.ReadAllText(server.ErrorLog) : "";
}
