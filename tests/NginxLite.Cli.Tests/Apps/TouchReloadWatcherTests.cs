using NginxLite.Cli.Apps;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Cli.Tests.Apps;

/// <summary>uWSGI's touch-reload loop: a reload per mtime change, including a touch made during start-up.</summary>
public sealed class TouchReloadWatcherTests
{
    private static async Task<int> WatchAsync(string file, DateTime since, Action<string> during)
    {
        var reloads = 0;
        using var stop = new CancellationTokenSource();
        var watch = TouchReloadWatcher.WatchAsync([file], since, () =>
        {
            Interlocked.Increment(ref reloads);
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(20), stop.Token);
        await Task.Delay(100);
        during(file);
        await Task.Delay(200);
        await stop.CancelAsync();
        await watch;
        return reloads;
    }

    [Fact]
    public async Task WatchAsync_FileTouched_OneReload()
    {
        using var dir = new TempDir("nl-touch-");
        var file = dir.File("reload.txt", "");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));

        var reloads = await WatchAsync(file, DateTime.UtcNow, f => File.SetLastWriteTimeUtc(f, DateTime.UtcNow));

        Assert.Equal(1, reloads);
    }

    [Fact]
    public async Task WatchAsync_NotTouched_NoReload()
    {
        using var dir = new TempDir("nl-touch-");
        var file = dir.File("reload.txt", "");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));

        Assert.Equal(0, await WatchAsync(file, DateTime.UtcNow, _ => { }));
    }

    [Fact]
    public async Task WatchAsync_TouchedAfterStartBeforeTheLoop_OneReload()
    {
        // The ini was read at `since`; the file changed while the workers were starting, before the loop's first look.
        using var dir = new TempDir("nl-touch-");
        var file = dir.File("reload.txt", "");
        var since = DateTime.UtcNow.AddSeconds(-10);

        Assert.Equal(1, await WatchAsync(file, since, _ => { }));
    }
}
