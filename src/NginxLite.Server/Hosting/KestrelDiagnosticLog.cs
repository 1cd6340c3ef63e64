using Microsoft.Extensions.Logging;

namespace NginxLite.Server.Hosting;

/// <summary>
/// Kestrel's own warnings and errors (a connection that ended abnormally, with its exception), appended to a file when
/// <c>NGINXLITE_KESTREL_LOG=path</c> is set; otherwise Kestrel logs nothing. A diagnostic for faults below nginx's
/// error log (it found the head filter's read race).
/// </summary>
internal sealed class KestrelDiagnosticLog(string path) : ILoggerFactory, ILogger
{
    private readonly Lock _lock = new();

    public static ILoggerFactory? FromEnvironment() =>
        Environment.GetEnvironmentVariable("NGINXLITE_KESTREL_LOG") is { Length: > 0 } path ? new KestrelDiagnosticLog(path) : null;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel < LogLevel.Warning && exception is null)
        {
            return;
        }

        var line = $"{DateTime.UtcNow:O} {logLevel} {eventId.Name}: {formatter(state, exception)} {exception}\n";
        lock (_lock)
        {
            File.AppendAllText(path, line);
        }
    }
}
