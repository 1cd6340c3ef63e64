using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// The helper's own checks — it is the security boundary, so it trusts nothing the (unprivileged, possibly
/// compromised) server says: the identity must be one of the accounts its command line allowed (resolved by the
/// helper), never uid 0 or gid 0 or group 0; the program (and a CGI script an interpreter runs) must pass suEXEC's
/// file rules again (httpd.apache.org/docs/current/suexec.html): a regular file after symlinks are resolved, not
/// writable by group or others, owned by the target user or root.
/// </summary>
internal sealed class HelperPolicy(IReadOnlyList<UnixAccount> allowed)
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    public IReadOnlyList<UnixAccount> Allowed => allowed;

    /// <summary>Resolves the <c>--allow USER[:GROUP]</c> arguments; accounts of uid 0 or gid 0 are left out (and
    /// reported in <paramref name="errors"/>), so no request can name them.</summary>
    public static HelperPolicy FromArguments(IEnumerable<string> entries, List<string> errors)
    {
        var accounts = new List<UnixAccount>();
        foreach (var entry in entries)
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var (user, group) = colon < 0 ? (entry, null) : (entry[..colon], entry[(colon + 1)..]);
            var account = UnixAccount.TryResolve(user, group, out var error);
            if (account is null)
            {
                errors.Add($"{error} for \"{entry}\"");
            }
            else if (Refusal(account.Uid, account.Gid, account.Groups) is { } refusal)
            {
                errors.Add($"{refusal} (\"{entry}\" not allowed)");
            }
            else
            {
                accounts.Add(account);
            }
        }

        return new HelperPolicy(accounts);
    }

    /// <summary>The allowed account <paramref name="r"/> asks for, or null with the reason.</summary>
    public UnixAccount? Check(SpawnRequest r, out string? reason)
    {
        reason = Refusal(r.Uid, r.Gid, r.Groups);
        if (reason is not null)
        {
            return null;
        }

        var account = allowed.FirstOrDefault(a => a.Uid == r.Uid && a.Gid == r.Gid && r.Groups.All(a.Groups.Contains));
        if (account is null)
        {
            reason = $"uid {r.Uid} gid {r.Gid} groups [{string.Join(' ', r.Groups)}] is not an account the configuration names";
            return null;
        }

        reason = CheckFile(r.Path, account) ?? (r.Script is { } script ? CheckFile(script, account) : null);
        return reason is null ? account : null;
    }

    private static string? Refusal(uint uid, uint gid, uint[] groups) =>
        uid == 0 ? "refusing uid 0"
        : gid == 0 ? "refusing gid 0"
        : groups.Contains(0u) ? "refusing supplementary group 0"
        : null;

    private static string? CheckFile(string path, UnixAccount account)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            return $"\"{path}\" is not an absolute path";
        }

        var real = FileStatus.RealPath(path);
        if (real is null || FileStatus.Get(real, noFollow: true) is not { IsRegular: true } st)
        {
            return $"\"{path}\" is not a regular file";
        }

        if ((st.Mode & GroupOrOtherWrite) != 0)
        {
            return $"\"{real}\" is writable by {((st.Mode & UnixFileMode.OtherWrite) != 0 ? "others" : "group")}";
        }

        return st.Uid == account.Uid || st.Uid == 0 ? null
            : $"\"{real}\" is owned by uid {st.Uid}, not by uid {account.Uid} or root";
    }
}
