using System.Runtime.InteropServices;

namespace NginxLite.Interop.Tests.Servers;

/// <summary>kill(2) for one PID: the signals nginx's process interface is driven by.</summary>
internal static class PosixSignal
{
    public const int Hup = 1;    // SIGHUP: reload
    public const int Quit = 3;   // SIGQUIT: graceful stop
    public const int Kill = 9;   // SIGKILL
    public const int Term = 15;  // SIGTERM: fast stop

    public static bool Send(int pid, int signal) => kill(pid, signal) == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
