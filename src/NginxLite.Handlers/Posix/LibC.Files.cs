using System.Runtime.InteropServices;

namespace NginxLite.Handlers.Posix;

/// <summary>The file calls the root helper needs to hand out a file or a directory without trusting a path twice:
/// open once, then check and change what was opened (fstat, fchown, fchmod on the fd).</summary>
internal static unsafe partial class LibC
{
    public const int OWriteOnly = 0x1;
    public const int OCreate = 0x40;
    public const int OExclusive = 0x80;
    public const int OAppend = 0x400;
    public const int ODirectory = 0x10000;
    public const int ONoFollow = 0x20000;
    public const int OCloexec = 0x80000;
    public const int AtEmptyPath = 0x1000;
    public const int Eexist = 17;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fchown(int fd, uint owner, uint group);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);
}
