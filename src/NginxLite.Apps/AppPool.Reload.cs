using NginxLite.Routing;

namespace NginxLite.Apps;

internal sealed partial class AppPool
{
    private readonly SemaphoreSlim _chain = new(1, 1);
    private int _chainRequested;

    /// <summary>
    /// A reload (SIGHUP, <c>-s reload</c>, touch-reload) of a pool whose settings did not change: new code, same
    /// config. uWSGI's chain reload ("touch-chain-reload"): the workers are replaced one at a time, each replacement
    /// ready before the old worker stops being chosen and gets SIGTERM once idle, so no request fails and the pool
    /// never serves with fewer ready workers. A replacement that fails to start (the new code does not import) stops
    /// the chain with an error line; the old workers keep serving. Reloads that arrive during a chain run one more
    /// chain after it (not one per signal).
    /// </summary>
    public async Task ChainReloadAsync()
    {
        Interlocked.Exchange(ref _chainRequested, 1);
        // Re-checked after each release: a request that came in while the last chain was finishing is not lost.
        while (Volatile.Read(ref _chainRequested) == 1 && await _chain.WaitAsync(0))
        {
            try
            {
                while (Interlocked.Exchange(ref _chainRequested, 0) == 1 && !IsStopping)
                {
                    await ReplaceEachAsync();
                }
            }
            finally
            {
                _chain.Release();
            }
        }
    }

    private async Task ReplaceEachAsync()
    {
        _log(ErrorLevel.Notice, $"app \"{Name}\": reloading {_slots.Length} worker(s) one by one");
        AppLoader? oldLoader = null;
        if (Forks)
        {
            // New code: a new loader imports it first, then each replacement is a fork of it.
            var (started, old) = await ReplaceLoaderAsync();
            if (!started)
            {
                return;
            }

            oldLoader = old;
        }

        try
        {
            await ReplaceSlotsAsync();
        }
        finally
        {
            RetireLoader(oldLoader);
        }
    }

    private async Task ReplaceSlotsAsync()
    {
        for (var slot = 0; slot < _slots.Length && !IsStopping; slot++)
        {
            AppWorker? worker;
            lock (_slots)
            {
                worker = _slots[slot];
                if (worker is null || worker.Recycling || worker.Retiring)
                {
                    // Being respawned or recycled already: that replacement loads the new code too.
                    continue;
                }

                worker.Recycling = true;
            }

            if (!await ReplaceAsync(slot, worker))
            {
                worker.Recycling = false;
                _log(ErrorLevel.Error, $"app \"{Name}\": reload stopped at worker {worker.Number}; the workers not yet replaced keep serving");
                return;
            }
        }

        _log(ErrorLevel.Notice, $"app \"{Name}\": reloaded {_slots.Length} worker(s)");
    }
}
