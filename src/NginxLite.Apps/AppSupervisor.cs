using NginxLite.Handlers.Apps;
using NginxLite.Routing;
using NginxLite.Routing.Apps;

namespace NginxLite.Apps;

/// <summary>
/// Every app pool of the running configuration (what uWSGI's master is), found by name by app_pass. At server start
/// all pools must load (<see cref="StartAsync"/> throws <see cref="AppLoadException"/>: nginxlite says
/// <c>[emerg] app "x" failed to load</c> and exits 1). A reload (<see cref="ReloadAsync"/>) keeps a pool whose
/// settings did not change, starts a changed or new one beside the old and swaps it in once ready (the old one drains:
/// no request fails), and drains a removed one. Each pool's public <c>socket</c> is relayed by an
/// <see cref="AppSocketRelay"/> that looks the pool up by name, so it outlives the swap.
/// </summary>
public sealed class AppSupervisor : IAppPools, IAsyncDisposable
{
    /// <summary>A graceful stop waits this long for requests in flight.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly AppLogWriter _log;
    private readonly string? _serverUser;
    private readonly string? _serverGroup;
    private readonly TimeSpan? _startTimeout;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly Dictionary<string, AppSocketRelay> _relays = new(StringComparer.Ordinal);
    private volatile Dictionary<string, AppPool> _pools = new(StringComparer.Ordinal);

    /// <param name="log">The error log.</param>
    /// <param name="serverUser">The <c>user</c> directive's user (workers' default account when the server is root).</param>
    /// <param name="serverGroup">Its group.</param>
    /// <param name="startTimeout">How long a worker may take to get ready (default 30 s).</param>
    public AppSupervisor(AppLogWriter log, string? serverUser = null, string? serverGroup = null, TimeSpan? startTimeout = null)
    {
        _log = log;
        _serverUser = serverUser;
        _serverGroup = serverGroup;
        _startTimeout = startTimeout;
    }

    /// <summary>The USER[:GROUP] the workers of <paramref name="apps"/> run as when the server starts as root: what
    /// the privileged helper must allow (docs/apps.md, "Privileges").</summary>
    public static IEnumerable<(string User, string? Group)> WorkerAccounts(IEnumerable<AppSettings> apps, string? serverUser, string? serverGroup) =>
        apps.Select(a => WorkerAccount.Names(a, serverUser, serverGroup));

    public IAppPool? Find(string name) => _pools.GetValueOrDefault(name);

    /// <summary>The running pools by name (tests, status).</summary>
    internal IReadOnlyDictionary<string, AppPool> Pools => _pools;

    /// <summary>Every running pool's workers and counters now, by name (nginxlite_status, the --ini stats server).</summary>
    public IReadOnlyList<AppPoolSnapshot> Snapshot() =>
        [.. _pools.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Snapshot())];

    /// <summary>One pool's snapshot, or null when no pool has that name.</summary>
    public AppPoolSnapshot? Snapshot(string name) => _pools.GetValueOrDefault(name)?.Snapshot();

    /// <summary>Starts every pool; if one fails to load, the others are stopped and the failure is thrown.</summary>
    public async Task StartAsync(IReadOnlyDictionary<string, AppSettings> apps)
    {
        await _changes.WaitAsync();
        try
        {
            var starts = apps.Values.Select(a => AppPool.StartAsync(a, _serverUser, _serverGroup, _log, _startTimeout)).ToList();
            try
            {
                await Task.WhenAll(starts);
            }
            catch
            {
                foreach (var s in starts.Where(s => s.IsCompletedSuccessfully))
                {
                    await s.Result.StopAsync(graceful: false, TimeSpan.FromSeconds(1));
                }

                throw starts.Select(s => s.Exception?.InnerException).OfType<AppLoadException>().FirstOrDefault()
                      ?? starts.First(s => s.IsFaulted).Exception!.InnerException!;
            }

            _pools = starts.ToDictionary(s => s.Result.Name, s => s.Result, StringComparer.Ordinal);
            await OpenRelaysAsync();
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Reconciles with a reloaded configuration. A changed pool is started beside the old one and swapped in; one that
    /// fails to start is logged and the old one keeps serving (nginx keeps the old configuration when the new one is
    /// bad). An unchanged pool gets a chain reload (its workers replaced one by one: uWSGI reloads the app on SIGHUP).
    /// </summary>
    public async Task ReloadAsync(IReadOnlyDictionary<string, AppSettings> apps)
    {
        await _changes.WaitAsync();
        try
        {
            var current = _pools;
            var next = new Dictionary<string, AppPool>(StringComparer.Ordinal);
            var retired = new List<AppPool>();
            var reloaded = new List<AppPool>();
            foreach (var settings in apps.Values)
            {
                if (current.TryGetValue(settings.Name, out var pool) && pool.Settings.Equals(settings))
                {
                    next[settings.Name] = pool;
                    reloaded.Add(pool);
                    continue;
                }

                try
                {
                    var fresh = await AppPool.StartAsync(settings, _serverUser, _serverGroup, _log, _startTimeout);
                    next[settings.Name] = fresh;
                    if (pool is not null)
                    {
                        pool.Successor = fresh;
                        retired.Add(pool);
                    }
                }
                catch (AppLoadException e)
                {
                    _log(ErrorLevel.Error, e.Message + (pool is null ? "" : ", the running workers are kept"));
                    if (pool is not null)
                    {
                        next[settings.Name] = pool;
                    }
                }
            }

            retired.AddRange(current.Values.Where(p => !next.ContainsKey(p.Name)));
            _pools = next;
            try
            {
                await OpenRelaysAsync();
            }
            catch (Exception e) when (e is AppLoadException or IOException)
            {
                // A public socket that cannot be bound now: the app is still served through app_pass.
                _log(ErrorLevel.Error, e.Message);
            }
            foreach (var old in retired)
            {
                _log(ErrorLevel.Notice, $"app \"{old.Name}\": draining the old workers");
                _ = old.StopAsync(graceful: true, DrainTimeout);
            }

            // Same settings, maybe new code: replace the workers one by one in the background (the new route table
            // does not wait for the app to re-import).
            foreach (var pool in reloaded)
            {
                _ = pool.ChainReloadAsync();
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Stops every pool (graceful: SIGQUIT; fast: SIGTERM/SIGINT) and removes the public sockets.</summary>
    public async Task StopAsync(bool graceful)
    {
        await _changes.WaitAsync();
        try
        {
            foreach (var relay in _relays.Values)
            {
                await relay.DisposeAsync();
            }

            _relays.Clear();
            var pools = _pools.Values.ToList();
            _pools = new(StringComparer.Ordinal);
            await Task.WhenAll(pools.Select(p => p.StopAsync(graceful, graceful ? DrainTimeout : TimeSpan.FromSeconds(2))));
        }
        finally
        {
            _changes.Release();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(graceful: false);

    /// <summary>One relay per public socket path, kept while the same app names it.</summary>
    private async Task OpenRelaysAsync()
    {
        var wanted = _pools.Values.Where(p => p.Settings.Socket is not null).ToDictionary(p => p.Settings.Socket!, StringComparer.Ordinal);
        foreach (var (path, relay) in _relays.ToList())
        {
            if (!wanted.TryGetValue(path, out var pool) || pool.Name != relay.App)
            {
                await relay.DisposeAsync();
                _relays.Remove(path);
            }
        }

        foreach (var (path, pool) in wanted)
        {
            if (!_relays.ContainsKey(path))
            {
                var name = pool.Name;
                var s = pool.Settings;
                _relays[path] = AppSocketRelay.Open(path, name, s.ChmodSocket, s.ChownSocket, s.ListenBacklog, () => Find(name), _log);
            }
        }
    }
}
