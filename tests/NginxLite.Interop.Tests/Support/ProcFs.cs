using System.Diagnostics;

namespace NginxLite.Interop.Tests.Support;

/// <summary>What the tests read about a process from /proc/PID/status (proc(5)): its real uid, its parent, whether it
/// still runs (a zombie has exited; whoever inherited it may not have reaped it yet).</summary>
public static class ProcFs
{
    public static (int Uid, int PPid) Status(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        int Field(string name) => int.Parse(lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim().Split('\t')[0]);
        return (Field("Uid"), Field("PPid"));
    }

    public static bool Running(int pid)
    {
        try
        {
            return !File.ReadAllLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:\tZ", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Polls (bounded: <paramref name="timeout"/>, 10 s unless given) until <paramref name="pid"/> is gone or
    /// a zombie; false when it still runs then.</summary>
    public static bool WaitGone(int pid, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (Running(pid) && clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)))
        {
            Thread.Sleep(20);
        }

        return !Running(pid);
    }
}
