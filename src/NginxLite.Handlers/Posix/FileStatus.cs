using System.Runtime.InteropServices;

namespace NginxLite.Handlers.Posix;

/// <summary>What the suEXEC checks need from stat(2): owner, group and mode bits.</summary>
public readonly record struct FileStatus(uint Uid, uint Gid, UnixFileMode Mode, bool IsRegular, bool IsDirectory, bool IsSymlink = false)
{
    private const int SymlinkType = 0xA000;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int DirectoryType = 0x4000;

    /// <summary>stat (following symlinks unless <paramref name="noFollow"/>); null when the path does not exist.</summary>
    public static unsafe FileStatus? Get(string path, bool noFollow = false)
    {
        LibC.Statx st;
        return LibC.statx(LibC.AtFdCwd, path, noFollow ? LibC.AtSymlinkNoFollow : 0, LibC.StatxBasicStats, &st) != 0 ? null : From(st);
    }

    /// <summary>What says a file's content may have changed — inode, size, mtime — for caches keyed by path
    /// (the <c>#!</c> line <c>cgi_preload</c> reads); null when the path does not exist.</summary>
    public static unsafe (ulong Ino, ulong Size, long MtimeSec, uint MtimeNsec)? Version(string path)
    {
        LibC.Statx st;
        return LibC.statx(LibC.AtFdCwd, path, 0, LibC.StatxBasicStats, &st) != 0 ? null : (st.Ino, st.Size, st.MtimeSec, st.MtimeNsec);
    }

    /// <summary>fstat of an open fd (statx with AT_EMPTY_PATH): what was opened, not what a path names now.
    /// <paramref name="links"/> is st_nlink.</summary>
    public static unsafe FileStatus? Of(int fd, out uint links)
    {
        LibC.Statx st;
        links = 0;
        if (LibC.statx(fd, "", LibC.AtEmptyPath, LibC.StatxBasicStats, &st) != 0)
        {
            return null;
        }

        links = st.Nlink;
        return From(st);
    }

    private static FileStatus From(in LibC.Statx st)
    {
        var type = st.Mode & TypeMask;
        return new FileStatus(st.Uid, st.Gid, (UnixFileMode)(st.Mode & 0xFFF), type == Regular, type == DirectoryType, type == SymlinkType);
    }

    /// <summary>realpath(3): every symlink resolved; null when a component is missing.</summary>
    public static string? RealPath(string path)
    {
        var p = LibC.realpath(path, 0);
        if (p == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            LibC.free(p);
        }
    }
}
