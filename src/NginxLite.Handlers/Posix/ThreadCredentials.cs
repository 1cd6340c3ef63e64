using System.Runtime.InteropServices;

namespace NginxLite.Handlers.Posix;

/// <summary>
/// Runs one synchronous action (a posix_spawn) with the calling thread's credentials switched to another user:
/// raw setgroups/setresgid/setresuid syscalls change only the calling thread (glibc's wrappers would change every
/// thread). The child created by posix_spawn copies the thread's credentials, and execve then copies the effective ids
/// into the saved ones, so the script holds no way back to root, while the server thread switches back (its saved uid
/// stayed 0). This spares the extra exec of a helper such as setpriv, which costs as much as a small script.
/// </summary>
public static partial class ThreadCredentials
{
    private static readonly (long SetGroups, long SetResGid, long SetResUid, long GetGroups)? Syscalls =
        RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (116, 119, 117, 115),
            Architecture.Arm64 => (159, 149, 147, 158),
            _ => null,
        };

    /// <summary>True when the raw syscalls are known for this architecture (else use setpriv).</summary>
    public static bool IsSupported => Syscalls is not null && OperatingSystem.IsLinux();

    /// <summary>Calls <paramref name="action"/> as <paramref name="account"/> on this thread only, then restores root.
    /// The process must be running as root.</summary>
    public static unsafe T RunAs<T>(UnixAccount account, Func<T> action)
    {
        var calls = Syscalls ?? throw new PlatformNotSupportedException();
        var saved = new uint[256];
        int savedCount;
        fixed (uint* p = saved)
        {
            savedCount = (int)syscall(calls.GetGroups, saved.Length, (nint)p, 0);
        }

        if (savedCount < 0)
        {
            throw new InvalidOperationException("getgroups() failed");
        }

        var switched = false;
        try
        {
            fixed (uint* groups = account.Groups)
            {
                Check(syscall(calls.SetGroups, account.Groups.Length, (nint)groups, 0), "setgroups");
            }

            switched = true;
            Check(syscall(calls.SetResGid, account.Gid, (nint)account.Gid, -1), "setresgid");
            Check(syscall(calls.SetResUid, account.Uid, (nint)account.Uid, -1), "setresuid");
            return action();
        }
        finally
        {
            if (switched)
            {
                // Back to root on this thread: euid first (saved uid is still 0), then the rest. A failure here would
                // leave a thread-pool thread as another user: not survivable.
                if (syscall(calls.SetResUid, 0, 0, 0) != 0 || syscall(calls.SetResGid, 0, 0, 0) != 0)
                {
                    Environment.FailFast("cannot restore root credentials on a thread after a CGI spawn");
                }

                fixed (uint* p = saved)
                {
                    if (syscall(calls.SetGroups, savedCount, (nint)p, 0) != 0)
                    {
                        Environment.FailFast("cannot restore the supplementary groups of a thread after a CGI spawn");
                    }
                }
            }
        }
    }

    private static void Check(long rc, string call)
    {
        if (rc != 0)
        {
            throw new InvalidOperationException($"{call}() failed ({Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long a1, nint a2, long a3);
}
