using System.Runtime.InteropServices;

namespace NginxLite.Apps;

/// <summary>kill(2) for the worker contract's signals: SIGTERM = graceful stop, SIGKILL = harakiri and fast stop.</summary>
internal static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    /// <summary>Sends <paramref name="signal"/>; false when the process is already gone.</summary>
    public static bool Send(int pid, int signal) => pid > 0 && kill(pid, signal) == 0;
}
