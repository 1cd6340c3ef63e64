using System.Runtime.InteropServices;

namespace NginxLite.Handlers.Posix;

/// <summary>libc's credential calls (glibc applies set*id and setgroups to every thread of the process: its setxid
/// broadcast), and chown for socket files.</summary>
public static partial class ProcessCredentials
{
    [LibraryImport("libc", SetLastError = true)]
    public static partial int setgroups(nuint size, uint[] list);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setgid(uint gid);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setuid(uint uid);

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chown(string path, uint owner, uint group);

    /// <summary>access(2) with W_OK|X_OK: may this process (its real uid, which equals the effective one after the
    /// drop) create files in <paramref name="directory"/>?</summary>
    public static bool CanCreateIn(string directory) => access(directory, 2 | 1) == 0;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int access(string path, int mode);

    public static string Errno()
    {
        var errno = Marshal.GetLastPInvokeError();
        return $"{errno}: {Marshal.GetPInvokeErrorMessage(errno)}";
    }
}
