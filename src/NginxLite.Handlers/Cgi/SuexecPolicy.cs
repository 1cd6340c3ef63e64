using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Cgi;

/// <summary>
/// The checks Apache's suEXEC made standard (httpd.apache.org/docs/current/suexec.html), done by the server before
/// each spawn: a refusal is a status and one error-log line saying which rule failed.
/// </summary>
public static class SuexecPolicy
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Never run a script as root (uid 0 or gid 0): a configuration error, 500.</summary>
    public static string? CheckAccount(UnixAccount account) =>
        account.Uid == 0 ? $"cgi: refusing to run scripts as uid 0 (user \"{account.Name}\")"
        : account.Gid == 0 ? $"cgi: refusing to run scripts as gid 0 (user \"{account.Name}\")"
        : null;

    /// <summary>
    /// The script rules, each a 403 with a reason, else null: inside the document root after every symlink is
    /// resolved, a regular file, not writable by group or others (nor its directory), owned by the target user (or
    /// root when <paramref name="allowRootOwned"/>), executable by the target user (readable when an interpreter runs it).
    /// </summary>
    public static string? CheckScript(string fileName, string documentRoot, UnixAccount account, bool allowRootOwned, bool viaInterpreter, out string? realPath)
    {
        realPath = FileStatus.RealPath(fileName);
        var realRoot = FileStatus.RealPath(documentRoot);
        if (realPath is null || realRoot is null)
        {
            return $"cgi: cannot resolve \"{fileName}\"";
        }

        if (!realPath.StartsWith(realRoot.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return $"cgi: script \"{fileName}\" resolves to \"{realPath}\", outside the document root \"{realRoot}\"";
        }

        if (FileStatus.Get(realPath, noFollow: true) is not { IsRegular: true } st)
        {
            return $"cgi: script \"{realPath}\" is not a regular file";
        }

        if ((st.Mode & GroupOrOtherWrite) != 0)
        {
            return $"cgi: script \"{realPath}\" is writable by {((st.Mode & UnixFileMode.OtherWrite) != 0 ? "others" : "group")}";
        }

        var dir = Path.GetDirectoryName(realPath)!;
        if (FileStatus.Get(dir) is { } ds && (ds.Mode & GroupOrOtherWrite) != 0)
        {
            return $"cgi: directory \"{dir}\" is writable by {((ds.Mode & UnixFileMode.OtherWrite) != 0 ? "others" : "group")}";
        }

        if (st.Uid != account.Uid && !(allowRootOwned && st.Uid == 0))
        {
            return $"cgi: script \"{realPath}\" is owned by uid {st.Uid}, not by \"{account.Name}\" (uid {account.Uid})"
                + (allowRootOwned ? " or root" : "");
        }

        if (!Allows(st, account, viaInterpreter ? Permission.Read : Permission.Execute))
        {
            return $"cgi: script \"{realPath}\" is not {(viaInterpreter ? "readable" : "executable")} by \"{account.Name}\"";
        }

        return null;
    }

    private enum Permission
    {
        Read = 4,
        Execute = 1,
    }

    /// <summary>The kernel's rule: the owner bits for the owner, else the group bits for a member, else the other bits.</summary>
    private static bool Allows(FileStatus st, UnixAccount account, Permission p)
    {
        var mode = (int)st.Mode;
        var bits = st.Uid == account.Uid ? (mode >> 6) & 7
            : st.Gid == account.Gid || account.Groups.Contains(st.Gid) ? (mode >> 3) & 7
            : mode & 7;
        return (bits & (int)p) != 0;
    }
}
