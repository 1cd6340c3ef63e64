using System.Collections.Concurrent;
using System.ComponentModel;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Handlers.Cgi;

/// <summary>
/// <c>cgi on;</c>: runs the script the URI names as a CGI/1.1 program (RFC 3875), as <c>cgi_user</c>, after the
/// suEXEC checks. This part decides who runs what; <see cref="CgiExchange"/> moves the bytes.
/// </summary>
public sealed class CgiHandler : IContentHandler
{
    /// <summary>util-linux's setpriv: sets groups, gid, uid (in that order) and execs — the only step between a
    /// root server and the script (no shell).</summary>
    public const string SetprivPath = "/usr/bin/setpriv";

    public const string ServerSoftware = "nginxlite";

    private static readonly VariableRef DocumentRoot = new(VariableKind.DocumentRoot, "document_root", 0);
    private static readonly VariableRef RequestFilename = new(VariableKind.RequestFilename, "request_filename", 0);
    private static readonly TimeSpan AccountTtl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string User, string? Group), CachedAccount> _accounts = new();

    public async ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request)
    {
        var cgi = request.Settings.Cgi;
        var main = request.Table.Main;
        var (user, group) = cgi.User is { } u ? (u, cgi.Group) : main.User is { } mu ? (mu, main.Group) : ("nobody", null);
        var account = Account(user, group, out var error);
        if (account is null)
        {
            request.Log(ErrorLevel.Error, $"cgi: {error} for cgi_user \"{user}\"");
            return HandlerResult.Error(500);
        }

        if (SuexecPolicy.CheckAccount(account) is { } refusal)
        {
            request.Log(ErrorLevel.Error, refusal);
            return HandlerResult.Error(500);
        }

        // nginx resolves a relative root (the default "html") against the prefix.
        var documentRoot = Path.Combine(main.Prefix, request.GetVariable(DocumentRoot) ?? "");
        var fileName = Path.Combine(main.Prefix, request.GetVariable(RequestFilename) ?? "");
        var script = CgiScript.Find(documentRoot, fileName, request.Uri, out var status);
        if (script is null)
        {
            request.Log(ErrorLevel.Error, status == 404
                ? $"open() \"{fileName}\" failed (2: No such file or directory)"
                : $"cgi: \"{fileName}\" is a directory, not a script");
            return HandlerResult.Error(status);
        }

        cgi.Interpreters.TryGetValue(Path.GetExtension(script.FileName), out var interpreter);
        var rejected = SuexecPolicy.CheckScript(script.FileName, documentRoot, account, cgi.AllowRootOwned, interpreter is not null, out var realPath);
        if (rejected is not null)
        {
            request.Log(ErrorLevel.Error, rejected);
            return HandlerResult.Error(403);
        }

        var euid = UnixAccount.EffectiveUid;
        // After `user` dropped the server, another account is the root helper's job (docs/cgi.md, "Privileged helper").
        var helper = euid != 0 && euid != account.Uid ? PrivilegedHelper.Current : null;
        if (euid != 0 && euid != account.Uid && helper is not { IsAlive: true })
        {
            request.Log(ErrorLevel.Error, $"cgi: cannot run scripts as \"{account.Name}\" (uid {account.Uid}): the server runs as uid {euid}, not root"
                + (helper is null ? "" : ", and its privileged helper is gone"));
            return HandlerResult.Error(500);
        }

        await using var body = await CgiRequestBody.ReadAsync(request);
        if (body.ErrorStatus != 0)
        {
            return HandlerResult.Error(body.ErrorStatus);
        }

        var env = CgiEnvironment.Build(request, script, documentRoot, body.Length, ServerSoftware);
        // As root: the spawning thread alone takes the script's identity (no helper exec), or setpriv where the raw
        // syscalls are not known. Not root: the server already is that user.
        var perThread = euid == 0 && ThreadCredentials.IsSupported;
        var (path, argv) = Command(realPath!, interpreter, account, euid == 0 && !perThread);
        var directory = Path.GetDirectoryName(realPath);
        var slot = await EnterGateAsync(request, cgi, script);
        if (slot is null)
        {
            return request.Aborted.IsCancellationRequested ? HandlerResult.Sent : HandlerResult.Error(504);
        }

        // cgi_preload python: forked from an interpreter that is already up (docs/cgi.md, "Python preload fork server").
        if (cgi.PreloadPython && (euid != 0 || perThread) && PythonPreload.InterpreterFor(realPath!, interpreter) is { } python)
        {
            SpawnedProcess? forked;
            try
            {
                forked = await PythonPreload.TryForkAsync(python, account, realPath!, directory ?? "/", env,
                    (p, a, e, fds) => SpawnForkServerAsync(helper, account, perThread, p, a, e, fds),
                    message => request.Log(ErrorLevel.Error, message), cgi.Timeout);
            }
            catch (TimeoutException e)
            {
                // A wedged fork server: bounded by cgi_timeout like a connect, killed so the next request starts afresh.
                slot.Dispose();
                request.Log(ErrorLevel.Error, $"upstream timed out (110: Connection timed out) while forking CGI script \"{script.FileName}\": {e.Message}, the next request starts another");
                return HandlerResult.Error(504);
            }

            if (forked is not null)
            {
                return await new CgiExchange(request, script, forked, cgi.Timeout, slot).RunAsync(body);
            }
        }

        SpawnedProcess process;
        try
        {
            process = helper is not null
                ? await SpawnedProcess.StartAsync(helper, account, path, argv, env, directory, interpreter is null ? null : realPath)
                : perThread
                ? ThreadCredentials.RunAs(account, () => SpawnedProcess.Start(path, argv, env, directory))
                : SpawnedProcess.Start(path, argv, env, directory);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            slot.Dispose();
            request.Log(ErrorLevel.Crit, $"cgi: posix_spawn() \"{path}\" failed ({e.Message})");
            return HandlerResult.Error(500);
        }
        catch (PrivilegedHelperException e)
        {
            slot.Dispose();
            request.Log(ErrorLevel.Error, $"cgi: cannot run \"{path}\" as \"{account.Name}\": {e.Message}");
            return HandlerResult.Error(500);
        }

        return await new CgiExchange(request, script, process, cgi.Timeout, slot).RunAsync(body);
    }

    /// <summary>After a reload: retires the Python fork servers (docs/cgi.md, "Python preload fork server"); idle ones
    /// stop now, busy ones once their scripts end, and the next preloaded request starts a fresh one. Returns how many.</summary>
    public static int RetireForkServers() => PythonPreload.RetireAll();

    /// <summary>The fork server, through the same entry point as a CGI child of <paramref name="account"/>: the root
    /// helper, the per-thread credential switch, or a plain spawn when the server already is that user.</summary>
    private static async Task<(int Pid, HelperChild? Remote)> SpawnForkServerAsync(PrivilegedHelper? helper, UnixAccount account, bool perThread,
        string path, List<string> argv, IReadOnlyList<string> env, int[] fds)
    {
        if (helper is not null)
        {
            var request = new SpawnRequest(path, [.. argv], [.. env], "/", account.Uid, account.Gid, account.Groups, NewSession: true, null);
            var child = await helper.SpawnAsync(request, fds);
            return (child.Pid, child);
        }

        var pid = perThread
            ? ThreadCredentials.RunAs(account, () => SpawnedProcess.Spawn(path, argv, env, "/", fds, newSession: true))
            : SpawnedProcess.Spawn(path, argv, env, "/", fds, newSession: true);
        return (pid, null);
    }

    /// <summary>A <c>cgi_max_procs</c> slot; null when the client left or no slot came within <c>cgi_timeout</c>
    /// (logged: the 504 says the server, not the script, was too busy). The script's own cgi_timeout starts at its
    /// spawn, so a queued request can take up to twice cgi_timeout in all (docs/cgi.md, "Concurrency cap").</summary>
    private static async ValueTask<CgiProcessGate.Slot?> EnterGateAsync(IUpstreamRequest request, CgiSettings cgi, CgiScript script)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
        wait.CancelAfter(cgi.Timeout);
        try
        {
            return await CgiProcessGate.Shared.EnterAsync(cgi.EffectiveMaxProcs, wait.Token);
        }
        catch (OperationCanceledException)
        {
            if (!request.Aborted.IsCancellationRequested)
            {
                request.Log(ErrorLevel.Error, $"upstream timed out (110: Connection timed out) while waiting for one of {cgi.EffectiveMaxProcs} cgi_max_procs slots, CGI script \"{script.FileName}\" not started");
            }

            return null;
        }
    }

    /// <summary>The program and arguments: the script (or its interpreter), behind setpriv when the server is root.</summary>
    internal static (string Path, List<string> Argv) Command(string script, string? interpreter, UnixAccount account, bool switchUser)
    {
        var target = new List<string>(2);
        if (interpreter is not null)
        {
            target.Add(interpreter);
        }

        target.Add(script);
        if (!switchUser)
        {
            return (target[0], target);
        }

        var argv = new List<string>(8)
        {
            "setpriv",
            $"--reuid={account.Uid}",
            $"--regid={account.Gid}",
            account.Groups.Length == 0 ? "--clear-groups" : "--groups=" + string.Join(',', account.Groups),
            "--",
        };
        argv.AddRange(target);
        return (SetprivPath, argv);
    }

    /// <summary>getpwnam/getgrouplist per request would read /etc/group each time: cached for a short while.</summary>
    private UnixAccount? Account(string user, string? group, out string? error)
    {
        var now = Environment.TickCount64;
        if (_accounts.TryGetValue((user, group), out var cached) && now - cached.At < AccountTtl.TotalMilliseconds)
        {
            error = cached.Error;
            return cached.Account;
        }

        var account = UnixAccount.TryResolve(user, group, out error);
        _accounts[(user, group)] = new CachedAccount(account, error, now);
        return account;
    }

    private sealed record CachedAccount(UnixAccount? Account, string? Error, long At);
}
