using System.Globalization;
using NginxLite.Routing;

namespace NginxLite.Server.Logging;

/// <summary>
/// nginx's error log: <c>2024/05/01 12:00:00 [error] 1234#1234: *7 message, client: 127.0.0.1, server: x,
/// request: "GET / HTTP/1.1", host: "x"</c>.
/// </summary>
public sealed class ErrorLog
{
    private readonly LogFile _file;

    public ErrorLog(LogFile file, ErrorLevel level)
    {
        _file = file;
        Level = level;
    }

    public ErrorLevel Level { get; }

    public string Path => _file.Path;

    public bool Enabled(ErrorLevel level) => level <= Level;

    public void Write(ErrorLevel level, string message, long connection = 0, string? context = null)
    {
        if (!Enabled(level))
        {
            return;
        }

        var stamp = DateTime.Now.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);
        var pid = Environment.ProcessId;
        var conn = connection > 0 ? $"*{connection} " : "";
        _file.WriteLine($"{stamp} [{level.ToString().ToLowerInvariant()}] {pid}#{Environment.CurrentManagedThreadId}: {conn}{message}{context}");
    }
}
