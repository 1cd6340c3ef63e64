using NginxLite.Routing;

namespace NginxLite.Apps;

internal sealed partial class AppPool
{
    /// <summary>The shims' exit status when the app does not load (uWSGI's UWSGI_FAILED_APP_CODE with need-app; the
    /// worker contract, docs/app-shims.md), for a worker and a loader alike.</summary>
    private const int NeedAppExit = 22;

    /// <summary>How a start that ended in <see cref="NeedAppExit"/> is reported.</summary>
    private const string NotImported = "the app could not be imported, exit status 22";

    /// <summary>A worker that dies this soon after it was ready counts toward the backoff (uWSGI's "respawning too fast").</summary>
    private static readonly TimeSpan QuickDeath = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>How long a retired worker may take to finish its requests before SIGTERM anyway.</summary>
    private static readonly TimeSpan RetireDrain = TimeSpan.FromSeconds(60);

    private int[]? _quickDeaths;

    /// <summary>Respawns the worker of <paramref name="slot"/> when it dies (not when it was retired or the pool stops).</summary>
    private async Task WatchAsync(int slot, AppWorker worker)
    {
        await worker.Exited;
        if (IsStopping || worker.Retiring)
        {
            return;
        }

        lock (_slots)
        {
            if (_slots[slot] != worker)
            {
                return;
            }
        }

        _quickDeaths ??= new int[_slots.Length];
        var deaths = DateTime.UtcNow - worker.ReadyAt < QuickDeath ? ++_quickDeaths[slot] : _quickDeaths[slot] = 0;
        _log(ErrorLevel.Error, $"app \"{Name}\": DAMN ! worker {worker.Number} (pid: {worker.Pid}) died ({Status(worker.ExitCode)}), respawning");
        // The first death respawns at once (a kill -9 costs under a second); one that keeps dying waits 1 s, 2 s … 30 s.
        await RespawnAsync(slot, worker, deaths <= 1 ? TimeSpan.Zero : Backoff(deaths - 1));
    }

    private static TimeSpan Backoff(int n) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(n - 1, 5))));

    private static string Status(int code) => code > 128 ? $"killed by signal {code - 128}" : $"exit status {code}";

    private async Task RespawnAsync(int slot, AppWorker old, TimeSpan delay)
    {
        var failures = 0;
        while (!IsStopping)
        {
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            AppWorker? worker = null;
            string reason;
            try
            {
                worker = await SpawnAsync(slot);
                if (worker.IsReady)
                {
                    if (Place(slot, old, worker))
                    {
                        _log(ErrorLevel.Notice, $"app \"{Name}\": respawned worker {worker.Number} (new pid: {worker.Pid})");
                    }

                    return;
                }

                await worker.WaitExitAsync(TimeSpan.FromSeconds(2));
                reason = worker.ExitCode == NeedAppExit ? NotImported : Status(worker.ExitCode);
            }
            catch (AppLoadException e)
            {
                reason = e.Message;
            }

            if (IsStopping)
            {
                return;
            }

            // need-app after start: logged and retried with backoff (1 s doubling to 30 s), never a silent loop.
            delay = Backoff(++failures);
            _log(ErrorLevel.Error, $"app \"{Name}\": worker {slot + 1} failed to start ({reason}), retrying in {delay.TotalSeconds:0} s");
        }
    }

    /// <summary>Puts a ready <paramref name="worker"/> in <paramref name="slot"/> if <paramref name="old"/> still holds it
    /// (a respawn and a recycle can race); otherwise the newcomer is not needed and stops.</summary>
    private bool Place(int slot, AppWorker old, AppWorker worker)
    {
        var placed = false;
        lock (_slots)
        {
            if (_slots[slot] == old && !IsStopping)
            {
                _slots[slot] = worker;
                old.Retiring = true;
                _ = WatchAsync(slot, worker);
                placed = true;
            }
        }

        if (placed)
        {
            CloseIdle(old);
            AddConnections(worker);
            return true;
        }

        worker.Retiring = true;
        worker.Terminate();
        return false;
    }

    /// <summary>max_requests / reload_on_rss: start a replacement; once it is ready the old worker stops being chosen
    /// and, when its requests are done, gets SIGTERM (graceful: nothing in flight is lost).</summary>
    private void Recycle(AppWorker worker, string reason)
    {
        int slot;
        lock (_slots)
        {
            if (worker.Recycling || worker.Retiring)
            {
                return;
            }

            slot = Array.IndexOf(_slots, worker);
            if (slot < 0)
            {
                return;
            }

            worker.Recycling = true;
        }

        _log(ErrorLevel.Notice, $"app \"{Name}\": recycling worker {worker.Number} (pid: {worker.Pid}): {reason}");
        _ = Task.Run(async () =>
        {
            if (!await ReplaceAsync(slot, worker))
            {
                worker.Recycling = false;
            }
        });
    }

    /// <summary>
    /// Starts a replacement for the worker in <paramref name="slot"/>; once it is ready it takes the slot and the old
    /// worker is retired in the background (SIGTERM when idle). False when the replacement did not start (logged; the
    /// old worker keeps serving) or the slot changed meanwhile.
    /// </summary>
    private async Task<bool> ReplaceAsync(int slot, AppWorker worker)
    {
        try
        {
            var next = await SpawnAsync(slot);
            if (next.IsReady && Place(slot, worker, next))
            {
                _ = RetireAsync(worker);
                return true;
            }

            if (!next.IsReady)
            {
                _log(ErrorLevel.Error, $"app \"{Name}\": the replacement of worker {worker.Number} did not start ({Status(next.ExitCode)}); the old one keeps serving");
            }
        }
        catch (AppLoadException e)
        {
            _log(ErrorLevel.Error, e.Message);
        }

        return false;
    }

    /// <summary>A worker no longer chosen: wait for its requests to end (bounded), SIGTERM, SIGKILL if it hangs on.</summary>
    private async Task RetireAsync(AppWorker worker)
    {
        CloseIdle(worker); // its kept connections end now; the busy ones when their requests do
        var deadline = DateTime.UtcNow + RetireDrain;
        while (worker.InFlight > 0 && !worker.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        worker.Terminate();
        if (!await worker.WaitExitAsync(TimeSpan.FromSeconds(30)))
        {
            worker.Kill();
        }
    }
}
