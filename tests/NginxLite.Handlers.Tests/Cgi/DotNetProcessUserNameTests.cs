using System.Diagnostics;
using NginxLite.Handlers.Posix;
using NginxLite.TestSupport;

namespace NginxLite.Handlers.Tests.Cgi;

/// <summary>
/// What .NET 10's <see cref="ProcessStartInfo.UserName"/> does on Linux, kept as a test so a runtime change shows up:
/// it sets uid, the user's primary gid and the user's supplementary groups (getgrouplist) in the child — but it has
/// no GROUP override and no new process group, which is why the CGI handler spawns with posix_spawn (docs/cgi.md).
/// </summary>
public class DotNetProcessUserNameTests
{
    [Fact]
    public void UserName_SetsUidGidAndSupplementaryGroups()
    {
        TestUsers.Ensure();
        var account = UnixAccount.TryResolve(TestUsers.Cgi, null, out _)!;
        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "id -u; id -g; id -G; ps -o pgid= -p $$"])
        {
            UserName = TestUsers.Cgi,
            RedirectStandardOutput = true,
        })!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        Assert.Equal(account.Uid.ToString(), lines[0]);
        Assert.Equal(account.Gid.ToString(), lines[1]);
        Assert.Equal(account.Groups.Order(), lines[2].Split(' ').Select(uint.Parse).Order());
        Assert.NotEqual(p.Id.ToString(), lines[3].Trim()); // not a process-group leader: no killing the whole group
    }

    [Fact]
    public async Task SpawnedProcess_IsItsOwnProcessGroupLeader()
    {
        using var p = SpawnedProcess.Start("/bin/sh", ["sh", "-c", "ps -o pgid= -p $$"], ["PATH=/usr/bin:/bin"], null);
        var buffer = new byte[256];
        var n = await p.Stdio.ReceiveAsync(buffer);
        Assert.Equal(p.Pid.ToString(), System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim());
        await p.ReapAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, p.ExitStatus);
    }
}
