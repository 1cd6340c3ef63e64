using NginxLite.Handlers.Posix;
using NginxLite.Routing.Servers;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// The helper's own checks — it is the security boundary, so it trusts nothing the (unprivileged, possibly
/// compromised) server says: the identity must be one of the accounts its command line allowed or the configuration
/// it reads itself names (resolved by the helper), never uid 0 or gid 0 or group 0; the program (and a CGI script an
/// interpreter runs) must pass suEXEC's file rules again (httpd.apache.org/docs/current/suexec.html): a regular file
/// after symlinks are resolved, not writable by group or others, owned by the target user or root. A bind or a log
/// file must be one the configuration names: the start's logs (its command line), or what the configuration file says
/// now, read as root by the helper (null when the server runs a generated configuration: no file to read).
/// </summary>
internal sealed class HelperPolicy(IReadOnlyList<UnixAccount> allowed, IReadOnlyCollection<string> logs, UnixAccount? server,
    Func<HelperGrants?>? current)
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    private readonly List<UnixAccount> _learned = []; // the helper's one request thread uses the policy

    /// <summary>The account the server dropped to (<c>--server</c>): owner of what it hands over, owner of new logs.</summary>
    public UnixAccount? Server => server;

    /// <summary>Resolves the <c>--allow USER[:GROUP]</c> arguments; accounts of uid 0 or gid 0 are left out (and
    /// reported in <paramref name="errors"/>), so no request can name them.</summary>
    public static HelperPolicy FromArguments(IEnumerable<string> entries, List<string> errors, IEnumerable<string>? logs = null,
        string? server = null, Func<HelperGrants?>? current = null)
    {
        var accounts = Resolve(entries, errors);
        UnixAccount? serverAccount = null;
        if (server is not null)
        {
            serverAccount = Resolve([server], errors).FirstOrDefault();
        }

        return new HelperPolicy(accounts, [.. logs ?? []], serverAccount, current);
    }

    /// <summary>The allowed account <paramref name="r"/> asks for, or null with the reason.</summary>
    public UnixAccount? Check(SpawnRequest r, out string? reason)
    {
        var account = CheckAccount(r.Uid, r.Gid, r.Groups, out reason);
        if (account is null)
        {
            return null;
        }

        reason = CheckFile(r.Path, account) ?? (r.Script is { } script ? CheckFile(script, account) : null);
        return reason is null ? account : null;
    }

    /// <summary>The account (uid, gid, supplementary groups) if the start's list or the current configuration names
    /// it; null with the reason otherwise.</summary>
    public UnixAccount? CheckAccount(uint uid, uint gid, uint[] groups, out string? reason)
    {
        reason = Refusal(uid, gid, groups);
        if (reason is not null)
        {
            return null;
        }

        bool Matches(UnixAccount a) => a.Uid == uid && a.Gid == gid && groups.All(a.Groups.Contains);
        var account = allowed.FirstOrDefault(Matches) ?? _learned.FirstOrDefault(Matches);
        if (account is null && Current() is { } grants && Resolve(grants.Accounts, []).FirstOrDefault(Matches) is { } named)
        {
            // Kept, like the start's list: a CGI request as a reload's new cgi_user must not parse the configuration
            // on every spawn. Only accounts root's configuration once named are ever kept.
            _learned.Add(named);
            account = named;
        }

        if (account is null)
        {
            reason = $"uid {uid} gid {gid} groups [{string.Join(' ', groups)}] is not an account the configuration names";
        }

        return account;
    }

    /// <summary>The <c>listen</c> address of the configuration, as the helper reads it now, that is
    /// <paramref name="address"/> — with that configuration's socket permissions — or null.</summary>
    public (ListenAddress Address, HelperGrants Grants)? Listen(string address)
    {
        var grants = Current();
        var match = grants?.Listen.FirstOrDefault(l => string.Equals(l.ToString(), address, StringComparison.Ordinal));
        return match is null ? null : (match, grants!);
    }

    /// <summary>A log the configuration names: at start (the command line) or now (read again).</summary>
    public bool AllowsLog(string path) =>
        Path.IsPathFullyQualified(path)
        && (logs.Contains(path, StringComparer.Ordinal) || Current()?.Logs.Contains(path, StringComparer.Ordinal) == true);

    private HelperGrants? Current()
    {
        try
        {
            return current?.Invoke();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static List<UnixAccount> Resolve(IEnumerable<string> entries, List<string> errors)
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

        return accounts;
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
