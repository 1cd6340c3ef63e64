using System.Diagnostics;
using System.Text;
using NginxLite.Interop.Tests.Apps;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;
using static NginxLite.Interop.Tests.Support.ProcFs;

namespace NginxLite.Interop.Tests.Privileged;

/// <summary>
/// The root helper of a real nginxlite started as root with <c>user nobody nogroup;</c> (docs/cgi.md, "Privileged
/// helper"): a <c>cgi_user</c> other than <c>user</c> runs scripts after the drop, the helper is the one root process
/// of the server's tree and ends with the server, and an app worker of another account is respawned as that account
/// after a kill -9.
/// </summary>
public sealed class PrivilegedHelperInteropTests : IDisposable
{
    private const string User = "user nobody nogroup;";
    private const string IdScript = "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$(id -u) $(id -g) $(id -G)\"";
    private readonly TempDir _dir = new("nginxlite-helper-");

    public PrivilegedHelperInteropTests() => TestUsers.Ensure();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CgiUser_OtherThanDroppedUser_ScriptRunsAsCgiUser()
    {
        using var server = StartCgi();
        var uid = TestUsers.Uid(TestUsers.Cgi);
        var gid = TestUsers.Gid(TestUsers.Cgi);
        var extra = TestUsers.Gid(TestUsers.ExtraGroup);

        var ids = Get(server.Port, "/cgi-bin/id.cgi").Trim().Split(' ');

        Assert.Equal(uid.ToString(), ids[0]);
        Assert.Equal(gid.ToString(), ids[1]);
        Assert.Equal([gid, extra], ids[2..].Select(int.Parse).Order());
        Assert.Equal(TestUsers.Uid("nobody"), Status(server.Pid).Uid); // the server itself did drop
    }

    [Fact]
    public void CgiPreload_AfterDrop_ForkServerStartedByHelperAsCgiUser()
    {
        using var server = StartCgi();
        var uid = TestUsers.Uid(TestUsers.Cgi);

        // cgi_preload python: the script is forked by a fork server the root helper started as the cgi_user.
        var ids = Get(server.Port, "/pre/cgi-bin/ids.py").Trim().Split(' ');

        Assert.Equal(uid.ToString(), ids[0]);
        Assert.Equal(TestUsers.Gid(TestUsers.Cgi).ToString(), ids[1]);
        var forkServer = int.Parse(ids[2]);
        Assert.Equal("python3", File.ReadAllText($"/proc/{forkServer}/comm").Trim());
        Assert.Equal((uid, HelperPid(server)), Status(forkServer));
        Assert.Equal(TestUsers.Uid("nobody"), Status(server.Pid).Uid);
        Assert.DoesNotContain("python fork server", File.ReadAllText(server.ErrorLog));
    }

    [Fact]
    public void Helper_WhileServing_IsTheOnlyRootProcessOfTheServer()
    {
        using var server = StartCgi();
        Get(server.Port, "/cgi-bin/id.cgi");
        var helper = HelperPid(server);

        var tree = Descendants(server.Pid).Append(server.Pid).ToList();
        var roots = tree.Where(p => Status(p).Uid == 0).ToList();

        Assert.Equal([helper], roots);
        Assert.Equal(server.Pid, Status(helper).PPid);
        Assert.Contains("--privileged-helper", File.ReadAllText($"/proc/{helper}/cmdline"), StringComparison.Ordinal);
    }

    [Fact]
    public void Helper_ServerStopped_Exits()
    {
        var server = StartCgi();
        int helper;
        try
        {
            helper = HelperPid(server);
            Assert.True(Running(helper));
        }
        finally
        {
            server.Dispose(); // also when an assertion above failed: never leave a server behind
        }

        Assert.True(WaitGone(helper), $"helper {helper} still running after the server stopped");
    }

    [Fact]
    public void Helper_ServerKilled9_ExitsOnSocketEof()
    {
        using var server = StartCgi();
        var helper = HelperPid(server);

        PosixSignal.Send(server.Pid, 9); // no clean-up code runs: only the kernel closing the socket tells the helper

        Assert.True(WaitGone(helper), $"helper {helper} still running after the server was killed");
    }

    [Fact]
    public void Helper_SigtermSentToIt_KeepsSpawning()
    {
        using var server = StartCgi();
        var helper = HelperPid(server);
        Get(server.Port, "/cgi-bin/id.cgi"); // the helper has answered once: its signal handlers are in place

        PosixSignal.Send(helper, 15); // what systemd sends the whole cgroup: the server still needs the helper while it drains
        Thread.Sleep(200);

        Assert.True(Running(helper));
        Assert.Equal(TestUsers.Uid(TestUsers.Cgi).ToString(), Get(server.Port, "/cgi-bin/id.cgi").Split(' ')[0]);
    }

    [Fact]
    public async Task AppWorker_OtherUserKilled9AfterDrop_RespawnedAsAppUser()
    {
        var app = _dir.Dir("app");
        _dir.File("app/uid_app.py", """
            import os

            def application(environ, start_response):
                body = f"{os.getuid()} {os.getgid()} {os.getpid()}".encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            """);
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port, $"app a {{ module uid_app; chdir {app}; user {TestUsers.Cgi}; }}", prefix: User)));
        var uid = TestUsers.Uid(TestUsers.Cgi).ToString();
        var gid = TestUsers.Gid(TestUsers.Cgi).ToString();
        var before = AppHttp.Text(AppHttp.Get(server.Port, "/")).Split(' ');
        Assert.Equal([uid, gid], before[..2]);

        Process.GetProcessById(int.Parse(before[2])).Kill(); // SIGKILL, from the test (root)
        var clock = Stopwatch.StartNew();
        while (!File.ReadAllText(server.ErrorLog).Contains("respawned worker 1", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        var after = AppHttp.Text(AppHttp.Get(server.Port, "/")).Split(' ');
        Assert.Equal([uid, gid], after[..2]);
        Assert.NotEqual(before[2], after[2]);
        Assert.Equal(HelperPid(server), Status(int.Parse(after[2])).PPid); // the helper's child, not the server's
        Assert.Equal(TestUsers.Uid("nobody"), Status(server.Pid).Uid);
    }

    private ServerProcess StartCgi()
    {
        var html = _dir.Dir("html");
        _dir.Dir("html/cgi-bin");
        var script = _dir.File("html/cgi-bin/id.cgi", IdScript);
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        TestUsers.Run("chown", TestUsers.Cgi, script); // suEXEC: owned by the target user
        _dir.Dir("html/pre/cgi-bin");
        var python = _dir.File("html/pre/cgi-bin/ids.py", "#!/usr/bin/python3\nimport os\nprint('Content-Type: text/plain')\nprint()\nprint(os.getuid(), os.getgid(), os.getppid())");
        File.SetUnixFileMode(python, (UnixFileMode)0b111_101_101);
        TestUsers.Run("chown", TestUsers.Cgi, python);
        return ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), port => $$"""
            {{User}}
            error_log logs/error.log notice;
            events {}
            http {
                access_log off;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{html}};
                    location /cgi-bin/ { cgi on; cgi_user {{TestUsers.Cgi}}; }
                    location /pre/cgi-bin/ { cgi on; cgi_user {{TestUsers.Cgi}}; cgi_preload python; }
                }
            }
            """);
    }

    /// <summary>The pid the server logged when it started the helper (the port accepts before that: bounded wait).</summary>
    private static int HelperPid(ServerProcess server)
    {
        const string Marker = "privileged helper started (pid ";
        var clock = Stopwatch.StartNew();
        var log = "";
        while (!(log = File.Exists(server.ErrorLog) ? File.ReadAllText(server.ErrorLog) : "").Contains(Marker, StringComparison.Ordinal)
               && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }

        var at = log.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(at >= 0, log);
        return int.Parse(log[(at + Marker.Length)..].Split(')')[0]);
    }

    private static IEnumerable<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    parents[pid] = Status(pid).PPid;
                }
                catch (IOException)
                {
                    // exited meanwhile
                }
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var p))
        {
            foreach (var child in parents.Where(kv => kv.Value == p).Select(kv => kv.Key))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    private static string Get(int port, string path)
    {
        var r = RawHttpClient.Send(port, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(10));
        Assert.True(r.Status == 200, r.Dump());
        return Encoding.UTF8.GetString(r.Body);
    }
}
