using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;

namespace NginxLite.Handlers.Cgi;

/// <summary>
/// <c>cgi_preload python</c>: which scripts qualify (run by python3 with no interpreter flags), and one lazily started
/// <see cref="PythonForkServer"/> per (interpreter, account). A dead fork server is replaced on the next request; one
/// that cannot start makes the request fall back to a plain spawn (logged once per interpreter and account).
/// </summary>
internal static partial class PythonPreload
{
    private static readonly ConcurrentDictionary<(string Interpreter, uint Uid, uint Gid, string Groups), Lazy<Task<PythonForkServer>>> Servers = new();
    private static readonly ConcurrentDictionary<(string, uint, uint, string), bool> Warned = new();
    private static readonly ConcurrentDictionary<string, ((ulong, ulong, long, uint) Version, string? Interpreter)> Shebangs = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<UnixAccount, string> GroupsKeys = new();
    private const int MaxCachedScripts = 4096;

    /// <summary>The python3 that runs <paramref name="script"/>: the <c>cgi_interpreter</c> when it is one, else the
    /// script's <c>#!</c> line when it names one with no flags (a flag would change how the interpreter starts, and the
    /// fork server's start-up is shared); null when the script does not qualify.</summary>
    public static string? InterpreterFor(string script, string? interpreter)
    {
        if (interpreter is not null)
        {
            return IsPython3(interpreter) ? interpreter : null;
        }

        // Cached per (path, inode, size, mtime): one statx per request instead of open + read + close (docs/cgi.md).
        if (FileStatus.Version(script) is not { } version)
        {
            return null;
        }

        if (Shebangs.TryGetValue(script, out var cached) && cached.Version == version)
        {
            return cached.Interpreter;
        }

        var found = ReadShebang(script);
        if (Shebangs.Count >= MaxCachedScripts)
        {
            Shebangs.Clear(); // bounded: a document root of many scripts re-reads, it never grows without limit
        }

        Shebangs[script] = (version, found);
        return found;
    }

    private static string? ReadShebang(string script)
    {
        try
        {
            Span<byte> head = stackalloc byte[256];
            using var file = File.OpenHandle(script);
            var n = RandomAccess.Read(file, head, 0);
            var text = Encoding.UTF8.GetString(head[..n]);
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            if (!text.StartsWith("#!", StringComparison.Ordinal) || end < 0)
            {
                return null;
            }

            var line = text[2..end].Trim();
            return line.Contains(' ', StringComparison.Ordinal) || line.Contains('\t', StringComparison.Ordinal) || !IsPython3(line) ? null : line;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Forks <paramref name="script"/> from the fork server of (<paramref name="interpreter"/>,
    /// <paramref name="account"/>), started through <paramref name="spawn"/> if none runs; null (the caller spawns as
    /// usual) when the fork server cannot start or refuses, with <paramref name="log"/> told once why. Throws
    /// <see cref="TimeoutException"/> when the fork server did not answer within <paramref name="timeout"/>: it was
    /// killed and forgotten, the next request starts another (the caller answers 504).</summary>
    public static async Task<SpawnedProcess?> TryForkAsync(string interpreter, UnixAccount account, string script, string directory,
        IReadOnlyList<string> env, Func<string, List<string>, IReadOnlyList<string>, int[], Task<(int Pid, HelperChild? Remote)>> spawn,
        Action<string> log, TimeSpan timeout)
    {
        var key = (interpreter, account.Uid, account.Gid, GroupsKeys.GetValue(account, a => string.Join(',', a.Groups)));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var lazy = Servers.GetOrAdd(key, _ => new Lazy<Task<PythonForkServer>>(() => PythonForkServer.StartAsync(interpreter, StartEnvironment(env), spawn)));
            PythonForkServer server;
            try
            {
                server = await lazy.Value;
            }
            catch (Exception e)
            {
                Forget(key, lazy);
                if (Warned.TryAdd(key, true))
                {
                    log($"cgi: cannot start the python fork server \"{interpreter}\" as \"{account.Name}\" ({e.Message}), scripts are spawned instead");
                }

                return null;
            }

            if (!server.IsAlive)
            {
                // Died since the last request: started afresh now (docs/cgi.md).
                Forget(key, lazy);
                server.Dispose();
                continue;
            }

            try
            {
                return await SpawnedProcess.StartRemoteAsync(fds => server.ForkAsync(script, directory, [script], env, fds, timeout));
            }
            catch (TimeoutException)
            {
                Forget(key, lazy);
                throw;
            }
            catch (InvalidOperationException e) when (!server.IsAlive)
            {
                log($"cgi: {e.Message}, starting another");
            }
            catch (InvalidOperationException e)
            {
                log($"cgi: {e.Message}, \"{script}\" spawned instead");
                return null;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                // socketpair(2) for the script's stdio failed (e.g. EMFILE): the plain spawn reports it as usual.
                log($"cgi: socketpair() failed ({e.Message}) for the python fork server, \"{script}\" spawned instead");
                return null;
            }
        }

        return null;
    }

    /// <summary>A reload retires every fork server (docs/cgi.md): one whose <c>cgi_preload</c> or account the new
    /// configuration dropped must not linger, and one still wanted restarts with the new configuration's PATH, locale
    /// and PYTHON* variables on its next request. Idle ones stop now, busy ones when their last child is reaped.
    /// Returns how many were retired.</summary>
    public static int RetireAll()
    {
        var retired = 0;
        foreach (var (key, lazy) in Servers)
        {
            if (!Forget(key, lazy))
            {
                continue;
            }

            retired++;
            // One still starting (or about to: its request is between GetOrAdd and .Value) is retired once up; the
            // request that started it may still use it, and it stops after that.
            _ = lazy.Value.ContinueWith(t => t.Result.Retire(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        Warned.Clear();
        return retired;
    }

    /// <summary>Removes <paramref name="key"/>'s entry only while it still is <paramref name="lazy"/>: a fork server
    /// another request already put in its place is kept. False when it was not (or no longer) there.</summary>
    private static bool Forget((string, uint, uint, string) key, Lazy<Task<PythonForkServer>> lazy) =>
        Servers.TryRemove(new KeyValuePair<(string, uint, uint, string), Lazy<Task<PythonForkServer>>>(key, lazy));

    /// <summary>The fork servers running now (tests).</summary>
    internal static IReadOnlyList<PythonForkServer> Running =>
        [.. Servers.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).Select(l => l.Value.Result)];

    /// <summary>python3 or python3.N by an absolute path.</summary>
    private static bool IsPython3(string path) => Path.IsPathFullyQualified(path) && Python3Name().IsMatch(Path.GetFileName(path));

    /// <summary>What python3's own start-up reads from the environment (PATH, locale, PYTHON*) is taken from the first
    /// request's environment; per-request meta-variables are not (the fork server outlives that request).</summary>
    private static List<string> StartEnvironment(IReadOnlyList<string> env) =>
        [.. env.Where(kv => kv.StartsWith("PATH=", StringComparison.Ordinal) || kv.StartsWith("LANG=", StringComparison.Ordinal)
            || kv.StartsWith("LC_", StringComparison.Ordinal) || kv.StartsWith("PYTHON", StringComparison.Ordinal))];

    [GeneratedRegex(@"^python3(\.[0-9]+)?$")]
    private static partial Regex Python3Name();
}
