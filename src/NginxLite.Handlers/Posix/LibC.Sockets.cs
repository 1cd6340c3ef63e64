using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace NginxLite.Handlers.Posix;

/// <summary>A Unix listening socket by hand: .NET's <c>Socket</c> unlinks the file of a Unix socket it bound when it is
/// disposed, and the root helper must close its copy after passing the fd without removing the server's socket file.</summary>
internal static unsafe partial class LibC
{
    private const int SockStream = 1;
    private const int SockCloexecFlag = 0x80000;
    private const int UnixFamily = 1;
    private const int SunPathLength = 108;

    [LibraryImport(Lib, SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    private static partial int bind(int fd, byte* address, uint length);

    [LibraryImport(Lib, SetLastError = true)]
    private static partial int listen(int fd, int backlog);

    /// <summary>socket(AF_UNIX, SOCK_STREAM), bind to <paramref name="path"/>, listen; the fd, or a
    /// <see cref="Win32Exception"/> with the errno of the call that failed.</summary>
    public static int ListenUnix(string path, int backlog)
    {
        var name = Encoding.UTF8.GetBytes(path);
        if (name.Length >= SunPathLength)
        {
            throw new Win32Exception(36, $"unix socket path too long: \"{path}\""); // ENAMETOOLONG
        }

        var fd = socket(UnixFamily, SockStream | SockCloexecFlag, 0);
        if (fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        var address = stackalloc byte[2 + SunPathLength];
        new Span<byte>(address, 2 + SunPathLength).Clear();
        *(ushort*)address = UnixFamily;
        name.CopyTo(new Span<byte>(address + 2, SunPathLength));
        if (bind(fd, address, (uint)(2 + name.Length + 1)) != 0 || listen(fd, backlog) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            close(fd);
            throw new Win32Exception(errno);
        }

        return fd;
    }
}
