using Xunit;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Cgi;

/// <summary>
/// <c>user</c> on a real nginxlite process started as root: /proc/PID/status of the process and of every thread
/// (task/*/status: glibc's setxid broadcast reaches the thread pool) shows the dropped uid, gid and groups; CGI
/// children then run as that user.
/// </summary>
public class PrivilegeDropTests
{
    private const string IdScript = "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$(id -u) $(id -g) $(id -G)\"";

    [Fact]
    public void SeedWorkerUserConf_AsIs_DropsEveryThreadToWwwData()
    {
        using var dir = new TempDir();
        using var server = Start(dir, $"include {Path.Combine(RepoPaths.Seed, "worker-user.conf")};");
        var wwwData = TestUsers.Uid("www-data");
        var wwwGroup = TestUsers.Gid("www-data");
        Assert.Equal($"{wwwData} {wwwGroup} {wwwGroup}\n", Get(server.Port, "/cgi-bin/id.cgi")); // served: start-up is complete
        AssertEveryThread(server.Pid, wwwData, wwwGroup, [wwwGroup]);
    }

    [Fact]
    public void User_WithSupplementaryGroups_DropsUidGidAndGroups()
    {
        TestUsers.Ensure();
        using var dir = new TempDir();
        using var server = Start(dir, $"user {TestUsers.Cgi};");
        var uid = TestUsers.Uid(TestUsers.Cgi);
        var gid = TestUsers.Gid(TestUsers.Cgi);
        var extra = TestUsers.Gid(TestUsers.ExtraGroup);

        // The CGI default user is `user`'s: spawned directly (the process cannot switch users any more).
        var ids = Get(server.Port, "/cgi-bin/id.cgi").Trim().Split(' ');
        AssertEveryThread(server.Pid, uid, gid, [gid, extra]);
        Assert.Equal(uid.ToString(), ids[0]);
        Assert.Equal(gid.ToString(), ids[1]);
        Assert.Equal([gid, extra], ids[2..].Select(int.Parse).Order());
        Assert.Contains("200", File.ReadAllText(Path.Combine(dir.Path, "logs", "access.log"))); // logs opened as root stay writable
    }

    private static ServerProcess Start(TempDir dir, string main)
    {
        var html = dir.Dir("html");
        dir.Dir("html/cgi-bin");
        File.WriteAllText(Path.Combine(html, "index.html"), "hi\n");
        var script = dir.File("html/cgi-bin/id.cgi", IdScript);
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        return ServerProcess.Start(ServerFlavor.NginxLite, dir.Path, port => $$"""
            {{main}}
            events {}
            http {
                access_log {{dir.Path}}/logs/access.log;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{html}};
                    location /cgi-bin/ { cgi on; }
                }
            }
            """);
    }

    private static void AssertEveryThread(int pid, int uid, int gid, int[] groups)
    {
        var tasks = Directory.GetDirectories($"/proc/{pid}/task");
        Assert.True(tasks.Length > 1, "the runtime has several threads");
        foreach (var task in tasks.Append($"/proc/{pid}"))
        {
            var status = File.ReadAllLines(Path.Combine(task, "status"));
            Assert.Equal($"Uid:\t{uid}\t{uid}\t{uid}\t{uid}", status.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)));
            Assert.Equal($"Gid:\t{gid}\t{gid}\t{gid}\t{gid}", status.Single(l => l.StartsWith("Gid:", StringComparison.Ordinal)));
            var line = status.Single(l => l.StartsWith("Groups:", StringComparison.Ordinal));
            Assert.Equal(groups.Order(), line[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Order());
        }
    }

    private static string Get(int port, string path)
    {
        var r = RawHttpClient.Send(port, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(10));
        Assert.True(r.Status == 200, r.Dump());
        return Encoding.UTF8.GetString(r.Body);
    }
}
