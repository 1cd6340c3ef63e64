using System.Net.Sockets;
using System.Text;
using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Tests.Posix;

/// <summary>
/// <see cref="SpawnedProcess"/> against real children: the exit is seen through the pidfd watcher (no polling) with
/// its status, a child that outlives the grace is killed with its group, and a child leads its own session and
/// process group (setsid; docs/cgi.md "Speed" on what that means for the scheduler).
/// </summary>
public class SpawnedProcessTests
{
    private static readonly string[] Env = ["PATH=/usr/bin:/bin"];

    [Fact]
    public void ChildExitWatcher_OnThisKernel_IsAvailable()
    {
        Assert.NotNull(ChildExitWatcher.Shared); // Linux ≥ 5.3 and glibc ≥ 2.36 here: no fallback to polling
    }

    [Fact]
    public async Task WaitForExit_ChildExits_ReapedWithItsStatus()
    {
        using var p = SpawnedProcess.Start("/bin/sh", ["sh", "-c", "read line; exit 3"], Env, "/");
        Assert.False(p.TryReap()); // still waiting for its stdin
        p.Stdio.Shutdown(SocketShutdown.Send);
        Assert.True(await p.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, (p.ExitStatus!.Value >> 8) & 0xff);
        Assert.True(p.TryReap());
    }

    [Fact]
    public async Task ReapAsync_ChildOutlivesGrace_GroupKilled()
    {
        // The shell's child (sleep) is in the same group: both go.
        using var p = SpawnedProcess.Start("/bin/sh", ["sh", "-c", "sleep 300 & echo $!; wait"], Env, "/");
        var grandchild = int.Parse((await ReadLineAsync(p.Stdio)).Trim());
        await p.ReapAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(9, p.ExitStatus!.Value & 0x7f); // SIGKILL
        for (var i = 0; i < 500 && IsAlive(grandchild); i++)
        {
            await Task.Delay(10);
        }

        Assert.False(IsAlive(grandchild), $"pid {grandchild} of the killed group still runs");
    }

    [Fact]
    public async Task Start_Child_LeadsItsOwnSessionAndProcessGroup()
    {
        using var p = SpawnedProcess.Start("/bin/sh", ["sh", "-c", "cut -d' ' -f1,5,6 /proc/$$/stat"], Env, "/");
        var fields = (await ReadLineAsync(p.Stdio)).Trim().Split(' ');
        Assert.Equal(p.Pid.ToString(), fields[0]);
        Assert.Equal(p.Pid.ToString(), fields[1]); // process group = its pid: KillGroup reaches what it starts
        Assert.Equal(p.Pid.ToString(), fields[2]); // session = its pid (setsid)
        Assert.NotEqual(Session(Environment.ProcessId), fields[2]);
        await p.ReapAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<string> ReadLineAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[256];
        while (!text.ToString().Contains('\n'))
        {
            var n = await socket.ReceiveAsync(buffer);
            Assert.True(n > 0, "EOF before a line: " + text);
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    private static string Session(int pid) => File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ')[3];

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1][0] != 'Z';
}
