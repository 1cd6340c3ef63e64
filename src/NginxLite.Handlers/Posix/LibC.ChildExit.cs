using System.Runtime.InteropServices;

namespace NginxLite.Handlers.Posix;

/// <summary>pidfd and epoll: waiting for many children's exits on one thread, without polling waitpid.</summary>
internal static unsafe partial class LibC
{
    public const int EpollCloexec = 0x80000;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const int EIntr = 4;
    public const int ESrch = 3;

    /// <summary>pidfd_open(2), Linux 5.3 (glibc 2.36 wrapper): an fd that polls readable once the process has exited.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pidfd_open(int pid, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    /// <summary><paramref name="ev"/>: a struct epoll_event (see <see cref="EpollEventSize"/>).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxEvents, int timeout);

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes: u32 events, u64 data) and naturally aligned
    /// elsewhere (16 bytes, data at offset 8) — linux/eventpoll.h's EPOLL_PACKED.</summary>
    public static int EpollEventSize => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static int EpollDataOffset => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;
}
