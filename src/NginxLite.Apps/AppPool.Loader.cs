using System.Collections.Concurrent;
using System.Security.Cryptography;
using NginxLite.Routing;

namespace NginxLite.Apps;

internal sealed partial class AppPool
{
    private readonly ConcurrentDictionary<AppLoader, byte> _loaders = new();
    private volatile Task<AppLoader>? _loader;

    /// <summary>
    /// lazy_apps off: workers are forked from a loader that imported the app once (uWSGI's default; docs/apps.md).
    /// Both shims have the loader mode: Python imports the module, Ruby parses config.ru (Rack::Builder.parse_file).
    /// </summary>
    private bool Forks => !Settings.LazyApps;

    /// <summary>
    /// Starts a loader (the shim's --loader mode, as the pool's account, like a worker) and connects to its control
    /// socket. Throws <see cref="AppLoadException"/> as a worker's start does: exit 22 is need-app (the traceback is
    /// in the log).
    /// </summary>
    private async Task<AppLoader> StartLoaderAsync()
    {
        // A name nobody can guess: with a dropped server the run dir is 0711 and the socket 0666 until the first connect.
        var control = Path.Combine(RunDirectory, $"loader-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.sock");
        var process = new AppWorker(Name, 0, control, _log, "loader");
        await LaunchAsync(process, loader: true);
        if (!process.IsReady)
        {
            await process.WaitExitAsync(TimeSpan.FromSeconds(2));
            throw new AppLoadException(Name, process.HasExited
                ? process.ExitCode == NeedAppExit ? NotImported : $"the loader exited with status {process.ExitCode}"
                : "the loader was not ready in time");
        }

        var loader = new AppLoader(process, control);
        try
        {
            loader.Connect();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            process.Kill();
            throw new AppLoadException(Name, $"cannot connect to the loader's control socket ({e.Message})");
        }

        _loaders[loader] = 0;
        _ = process.Exited.ContinueWith(_ => _loaders.TryRemove(loader, out byte _), TaskScheduler.Default);
        _log(ErrorLevel.Notice, $"app \"{Name}\": loader (pid: {loader.Pid}) imported the app; workers are forked from it (lazy_apps off)");
        return loader;
    }

    /// <summary>The loader workers are forked from now (null: lazy_apps on, or one is being restarted).</summary>
    internal AppLoader? CurrentLoader => _loader is { IsCompletedSuccessfully: true } current ? current.Result : null;

    /// <summary>Makes <paramref name="loader"/> the one new workers are forked from and restarts it if it dies.</summary>
    private void UseLoader(AppLoader loader)
    {
        _loader = Task.FromResult(loader);
        _ = WatchLoaderAsync(loader);
    }

    /// <summary>The current loader; while one is being restarted, waits for it.</summary>
    private async Task<AppLoader> LoaderAsync() =>
        await (_loader ?? throw new AppLoadException(Name, "no loader"));

    /// <summary>A loader that dies (killed, crashed) is started again; its workers keep serving meanwhile (they are
    /// orphans now, still watched by pidfd), and respawns wait for the new one. Retried with backoff when the new one
    /// does not load.</summary>
    private async Task WatchLoaderAsync(AppLoader loader)
    {
        await loader.Process.Exited;
        if (IsStopping || loader.Retiring)
        {
            return;
        }

        _log(ErrorLevel.Alert, $"app \"{Name}\": the loader (pid: {loader.Pid}) died ({Status(loader.Process.ExitCode)}), starting a new one");
        var restart = RestartLoaderAsync();
        _loader = restart;
        try
        {
            var fresh = await restart;
            _ = WatchLoaderAsync(fresh);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<AppLoader> RestartLoaderAsync()
    {
        for (var failures = 1; ; failures++)
        {
            _stopping.Token.ThrowIfCancellationRequested();
            try
            {
                return await StartLoaderAsync();
            }
            catch (AppLoadException e)
            {
                var delay = Backoff(failures);
                _log(ErrorLevel.Error, $"{e.Message}; retrying the loader in {delay.TotalSeconds:0} s");
                await Task.Delay(delay, _stopping.Token);
            }
        }
    }

    /// <summary>
    /// A chain reload with lazy_apps off: a new loader imports the new code first; the workers are then replaced one
    /// by one by forks of it. False (the reload stops, the old loader and workers keep serving) when it does not load.
    /// The old loader is retired after the chain (<see cref="RetireLoader"/>).
    /// </summary>
    private async Task<(bool Started, AppLoader? Old)> ReplaceLoaderAsync()
    {
        AppLoader fresh;
        try
        {
            fresh = await StartLoaderAsync();
        }
        catch (AppLoadException e)
        {
            _log(ErrorLevel.Error, $"{e.Message}; reload stopped, the old loader and workers keep serving");
            return (false, null);
        }

        var old = CurrentLoader;
        if (old is not null)
        {
            old.Retiring = true; // before the swap: its death during the chain is not a failure to restart from
        }

        UseLoader(fresh);
        return (true, old);
    }

    /// <summary>The old loader forks no more; it exits once the workers it forked are gone (it stays their parent and
    /// reaps them).</summary>
    private static void RetireLoader(AppLoader? old)
    {
        if (old is not null)
        {
            old.Retiring = true;
            old.Close();
        }
    }

    /// <summary>After the workers: each loader gets SIGTERM, then SIGKILL if it is still there.</summary>
    private async Task StopLoadersAsync()
    {
        await Task.WhenAll(_loaders.Keys.ToList().Select(async l =>
        {
            l.Retiring = true;
            l.Close();
            l.Process.Terminate();
            if (!await l.Process.WaitExitAsync(TimeSpan.FromSeconds(2)))
            {
                l.Process.Kill();
                await l.Process.WaitExitAsync(TimeSpan.FromSeconds(2));
            }
        }));
    }
}
