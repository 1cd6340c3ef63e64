namespace NginxLite.Cli.Apps;

/// <summary>
/// uWSGI's <c>touch-reload FILE</c>: "reload uWSGI if the specified file is modified/touched". uWSGI's master compares
/// each file's mtime once per cycle (about a second); so does this loop, and a change runs the host's reload (the ini
/// is read again and the workers are replaced one by one). A file that does not exist yet counts as mtime 0.
/// </summary>
internal static class TouchReloadWatcher
{
    /// <param name="since">When the ini was read: a file modified after it (while the workers were starting, before this
    /// loop took its first look) counts as touched at the first tick, so no touch in the start-up window is lost.</param>
    public static async Task WatchAsync(IReadOnlyList<string> files, DateTime since, Func<Task> reload, TimeSpan period, CancellationToken stop)
    {
        if (files.Count == 0)
        {
            return;
        }

        var seen = files.Select(f => Stamp(f) is var t && t <= since ? t : DateTime.MinValue.AddTicks(1)).ToArray();
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var changed = false;
                for (var i = 0; i < files.Count; i++)
                {
                    var now = Stamp(files[i]);
                    changed |= now != seen[i];
                    seen[i] = now;
                }

                if (changed)
                {
                    await reload();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host stopped.
        }
    }

    private static DateTime Stamp(string file) => File.Exists(file) ? File.GetLastWriteTimeUtc(file) : DateTime.MinValue;
}
