using NginxLite.Config.Validation;

namespace NginxLite.Cli.Apps;

/// <summary>
/// A front end's output: the config text to serve (null when translating failed), a name for messages (the ini or
/// the command line it came from), and the translation's own messages (warnings, or the errors that stopped it).
/// </summary>
internal sealed record GeneratedConfig(string? Text, string Origin, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Files whose mtime change reloads the workers (uWSGI's <c>touch-reload</c>).</summary>
    public IReadOnlyList<string> TouchReload { get; init; } = [];

    /// <summary>The app block's name (what the stats server reports on).</summary>
    public string? AppName { get; init; }

    /// <summary>The app's public uwsgi sockets (stats <c>sockets[]</c>).</summary>
    public IReadOnlyList<string> Sockets { get; init; } = [];

    /// <summary>uWSGI's <c>stats</c> address, or null.</summary>
    public string? Stats { get; init; }

    /// <summary>uWSGI's <c>stats-http</c>: answer an HTTP request with headers and the JSON.</summary>
    public bool StatsHttp { get; init; }

    public static GeneratedConfig Failed(string origin, params Diagnostic[] diagnostics) => new(null, origin, diagnostics);
}
