using System.Collections.Concurrent;

namespace NginxLite.Server.Logging;

/// <summary>Every log file the server writes, one <see cref="LogFile"/> per path, so reopen reaches them all.</summary>
public sealed class LogFiles : IDisposable
{
    private readonly ConcurrentDictionary<string, LogFile> _files = new(StringComparer.Ordinal);

    public LogFile Get(string path) => _files.GetOrAdd(path, static p => new LogFile(p));

    public void ReopenAll()
    {
        foreach (var file in _files.Values)
        {
            file.Reopen();
        }
    }

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.Dispose();
        }

        _files.Clear();
    }
}
