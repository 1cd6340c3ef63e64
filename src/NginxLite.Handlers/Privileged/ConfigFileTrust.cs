using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// Whether the root helper may believe a configuration file it reads again (docs/cgi.md, "Privileged helper"). The
/// helper grants what the file names — a port below 1024, an account to spawn as, a log path — so a file the dropped
/// server's account could write would let a compromised server widen those grants. As a root daemon refuses an
/// untrusted configuration (sshd's StrictModes, sudo's checks of sudoers), every file read — the main file and each
/// <c>include</c>d one, symlinks followed to what is read — must be owned by root (or by the uid that started the
/// server) and writable by neither group nor others.
/// </summary>
public static class ConfigFileTrust
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Null when every one of <paramref name="files"/> may be trusted, else why the first one may not.</summary>
    public static string? Check(IEnumerable<string> files, uint startingUid)
    {
        foreach (var file in files)
        {
            if (FileStatus.Get(file) is not { } st)
            {
                return $"configuration file \"{file}\" cannot be read";
            }

            if (st.Uid != 0 && st.Uid != startingUid)
            {
                return $"configuration file \"{file}\" is owned by uid {st.Uid}, not by root";
            }

            if ((st.Mode & GroupOrOtherWrite) != 0)
            {
                return $"configuration file \"{file}\" is writable by {((st.Mode & UnixFileMode.OtherWrite) != 0 ? "others" : "group")}";
            }
        }

        return null;
    }

    /// <summary><see cref="Check"/>, throwing <see cref="UntrustedConfigurationException"/>.</summary>
    public static void Demand(IEnumerable<string> files, uint startingUid)
    {
        if (Check(files, startingUid) is { } reason)
        {
            throw new UntrustedConfigurationException(reason);
        }
    }
}
