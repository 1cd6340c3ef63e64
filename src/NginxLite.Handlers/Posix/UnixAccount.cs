using System.Globalization;
using System.Runtime.InteropServices;

namespace NginxLite.Handlers.Posix;

/// <summary>A user as the kernel sees it after a login-style switch: uid, gid and every supplementary group
/// (initgroups semantics: the groups that list the user, plus <see cref="Gid"/>).</summary>
public sealed record UnixAccount(string Name, uint Uid, uint Gid, uint[] Groups)
{
    /// <summary>The effective uid of this process.</summary>
    public static uint EffectiveUid => LibC.geteuid();

    /// <summary>
    /// Resolves <c>USER [GROUP]</c> as nginx's <c>user</c> directive does (names through NSS; a number is taken as
    /// is). Returns null and sets <paramref name="error"/> to nginx's wording when a name is unknown.
    /// </summary>
    public static unsafe UnixAccount? TryResolve(string user, string? group, out string? error)
    {
        error = null;
        var buffer = new byte[16 * 1024];
        uint uid;
        uint gid;
        string name;
        fixed (byte* buf = buffer)
        {
            LibC.Passwd pwd;
            LibC.Passwd* result = null;
            var rc = uint.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric)
                ? LibC.getpwuid_r(numeric, &pwd, buf, (nuint)buffer.Length, &result)
                : LibC.getpwnam_r(user, &pwd, buf, (nuint)buffer.Length, &result);
            if (rc != 0 || result == null)
            {
                if (!uint.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out numeric))
                {
                    error = $"getpwnam(\"{user}\") failed";
                    return null;
                }

                uid = numeric;
                gid = numeric;
                name = user;
            }
            else
            {
                uid = pwd.Uid;
                gid = pwd.Gid;
                name = Marshal.PtrToStringUTF8(pwd.Name) ?? user;
            }

            if (group is not null)
            {
                if (uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var g))
                {
                    gid = g;
                }
                else
                {
                    LibC.Group grp;
                    LibC.Group* gr = null;
                    if (LibC.getgrnam_r(group, &grp, buf, (nuint)buffer.Length, &gr) != 0 || gr == null)
                    {
                        error = $"getgrnam(\"{group}\") failed";
                        return null;
                    }

                    gid = grp.Gid;
                }
            }
        }

        return new UnixAccount(name, uid, gid, GroupList(name, gid));
    }

    private static unsafe uint[] GroupList(string name, uint gid)
    {
        var count = 64;
        while (true)
        {
            var groups = new uint[count];
            var n = count;
            fixed (uint* p = groups)
            {
                if (LibC.getgrouplist(name, gid, p, &n) >= 0)
                {
                    return groups[..n];
                }
            }

            count = Math.Max(n, count * 2);
        }
    }
}
