using NginxLite.TestSupport;

namespace NginxLite.Server.Tests.Cgi;

/// <summary>Who the script runs as: uid, gid and supplementary groups all dropped (id -u / -g / -G from the script).</summary>
public class CgiPrivilegeTests
{
    [Fact]
    public async Task CgiUser_ScriptRunsWithItsUidGidAndGroups()
    {
        await using var s = await CgiFixture.StartAsync($"location /cgi-bin/ {{ cgi on; cgi_user {TestUsers.Cgi}; }}");
        CgiFixture.Script(s, "cgi-bin/id.cgi", CgiFixture.IdScript);
        var r = await s.SendAsync("/cgi-bin/id.cgi");
        Assert.Equal(200, r.Status);
        var v = CgiFixture.Vars(r.Text());
        Assert.Equal(TestUsers.Uid(TestUsers.Cgi).ToString(), v["uid"]);
        Assert.Equal(TestUsers.Gid(TestUsers.Cgi).ToString(), v["gid"]);
        var groups = v["groups"].Split(' ').Select(int.Parse).ToHashSet();
        Assert.Equal([TestUsers.Gid(TestUsers.Cgi), TestUsers.Gid(TestUsers.ExtraGroup)], groups.Order());
        Assert.DoesNotContain(0, groups);

        // Real, effective, saved and filesystem ids all dropped (no way back to root), no capabilities left.
        var uid = TestUsers.Uid(TestUsers.Cgi);
        var gid = TestUsers.Gid(TestUsers.Cgi);
        Assert.Equal($"{uid} {uid} {uid} {uid}", v["uids"]);
        Assert.Equal($"{gid} {gid} {gid} {gid}", v["gids"]);
        Assert.Equal("0000000000000000/0000000000000000", v["caps"]);
    }

    [Fact]
    public async Task SpawningAsAnotherUser_LeavesTheServerThreadsRoot()
    {
        await using var s = await CgiFixture.StartAsync($"location /cgi-bin/ {{ cgi on; cgi_user {TestUsers.Cgi}; }}");
        CgiFixture.Script(s, "cgi-bin/id.cgi", CgiFixture.IdScript);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(200, (await s.SendAsync("/cgi-bin/id.cgi")).Status);
        }

        var checkedThreads = 0;
        foreach (var task in Directory.GetDirectories($"/proc/{Environment.ProcessId}/task"))
        {
            // Other test classes in this process spawn scripts as other users at the same time, and a thread holds a
            // script's identity for the length of its posix_spawn (CI caught one in vfork's D state): a thread counts
            // as left non-root only if it still is after a bound far longer than a spawn.
            var status = ThreadStatus(task);
            for (var clock = System.Diagnostics.Stopwatch.StartNew(); status is not null && !IsRoot(status) && clock.Elapsed < TimeSpan.FromSeconds(5);)
            {
                await Task.Delay(50);
                status = ThreadStatus(task);
            }

            if (status is null)
            {
                continue; // the thread ended between listing and reading (the thread pool retires idle threads)
            }

            Assert.Contains("Uid:\t0\t0\t0\t0", status);
            Assert.Contains("Gid:\t0\t0\t0\t0", status);
            checkedThreads++;
        }

        Assert.True(checkedThreads > 1, "no server thread could be checked");
    }

    [Fact]
    public async Task CgiUserWithGroup_PrimaryGroupIsThatGroup()
    {
        await using var s = await CgiFixture.StartAsync($"location /cgi-bin/ {{ cgi on; cgi_user {TestUsers.Cgi} {TestUsers.ExtraGroup}; }}");
        CgiFixture.Script(s, "cgi-bin/id.cgi", CgiFixture.IdScript);
        var v = CgiFixture.Vars((await s.SendAsync("/cgi-bin/id.cgi")).Text());
        Assert.Equal(TestUsers.Gid(TestUsers.ExtraGroup).ToString(), v["gid"]);
        Assert.Equal(TestUsers.Uid(TestUsers.Cgi).ToString(), v["uid"]);
    }

    [Fact]
    public async Task NoCgiUser_NoUser_RunsAsNobody()
    {
        await using var s = await CgiFixture.StartAsync("location /cgi-bin/ { cgi on; }");
        CgiFixture.Script(s, "cgi-bin/id.cgi", CgiFixture.IdScript);
        var v = CgiFixture.Vars((await s.SendAsync("/cgi-bin/id.cgi")).Text());
        Assert.Equal(TestUsers.Uid("nobody").ToString(), v["uid"]);
        Assert.NotEqual("0", v["gid"]);
    }

    [Fact]
    public async Task CgiUserRoot_Is500WithARefusal()
    {
        await using var s = await CgiFixture.StartAsync("location /cgi-bin/ { cgi on; cgi_user root; }");
        CgiFixture.Script(s, "cgi-bin/id.cgi", CgiFixture.IdScript);
        var r = await s.SendAsync("/cgi-bin/id.cgi");
        Assert.Equal(500, r.Status);
        Assert.Contains("cgi: refusing to run scripts as uid 0 (user \"root\")", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task CgiUserWithGroupRoot_Is500WithARefusal()
    {
        await using var s = await CgiFixture.StartAsync($"location /cgi-bin/ {{ cgi on; cgi_user {TestUsers.Cgi} root; }}");
        CgiFixture.Script(s, "cgi-bin/id.cgi", CgiFixture.IdScript);
        var r = await s.SendAsync("/cgi-bin/id.cgi");
        Assert.Equal(500, r.Status);
        Assert.Contains("refusing to run scripts as gid 0", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task UnknownCgiUser_Is500()
    {
        await using var s = await CgiFixture.StartAsync("location /cgi-bin/ { cgi on; cgi_user nginxlite-no-such-user; }");
        CgiFixture.Script(s, "cgi-bin/id.cgi", CgiFixture.IdScript);
        var r = await s.SendAsync("/cgi-bin/id.cgi");
        Assert.Equal(500, r.Status);
        Assert.Contains("getpwnam(\"nginxlite-no-such-user\") failed", s.ReadLog("error.log"));
    }

    private static string[]? ThreadStatus(string task)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(task, "status"));
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or IOException)
        {
            return null;
        }
    }

    private static bool IsRoot(string[] status) => status.Contains("Uid:\t0\t0\t0\t0") && status.Contains("Gid:\t0\t0\t0\t0");
}
