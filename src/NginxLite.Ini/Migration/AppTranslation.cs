using NginxLite.Config.Validation;
using NginxLite.Ini.Loading;

namespace NginxLite.Ini.Migration;

/// <summary>What an ini becomes: an <c>app</c> block, HTTP listeners, static locations, top-level directives, and the report.</summary>
public sealed record AppTranslation
{
    public required IniDocument Document { get; init; }

    /// <summary>The name of the <c>app NAME { }</c> block (the ini's file name without extension).</summary>
    public required string AppName { get; init; }

    public required IReadOnlyList<AppDirective> App { get; init; }

    /// <summary><c>listen</c> arguments of servers that route to the app (from <c>http-socket</c>/<c>http</c>).</summary>
    public required IReadOnlyList<AppDirective> Listens { get; init; }

    public required IReadOnlyList<StaticMap> StaticMaps { get; init; }

    /// <summary>Directives for the <c>http</c> block (<c>access_log off</c>).</summary>
    public required IReadOnlyList<AppDirective> Http { get; init; }

    /// <summary>Directives for the main context (<c>pid</c>, <c>error_log</c>).</summary>
    public required IReadOnlyList<AppDirective> Main { get; init; }

    /// <summary>The uwsgi-protocol sockets of the ini (<c>socket</c>, <c>uwsgi-socket</c>), as written.</summary>
    public required IReadOnlyList<string> Sockets { get; init; }

    /// <summary>Comment lines for what could not be translated (printed inside the app block).</summary>
    public required IReadOnlyList<string> UnsupportedComments { get; init; }

    public required IReadOnlyList<ReportRow> Report { get; init; }

    /// <summary>Reading and translation messages (the reader's first), in order.</summary>
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    public bool HasUnsupported => Report.Any(r => r.Outcome == "unsupported");

    /// <summary>Whether the ini loads an application (<c>module</c>, <c>wsgi-file</c>, <c>rack</c> …). Without one uWSGI 2.0
    /// starts in "full dynamic mode" and answers every request with 500; an <c>app</c> block needs an entry point.</summary>
    public bool HasEntryPoint => App.Any(d => d.Name is "module" or "wsgi_file" or "rack");

    /// <summary>
    /// What <c>nginxlite -t --ini</c> reports: every message plus an <c>[emerg]</c> per unsupported key, in file order
    /// (files in the order they were read, then lines; messages without a line last).
    /// </summary>
    public IReadOnlyList<Diagnostic> CheckDiagnostics
    {
        get
        {
            var unsupported = Report
                .Where(r => r.Outcome == "unsupported" && !Diagnostics.Any(d => d.Position == r.Position && d.IsError))
                .Select(r => Diagnostic.Emerg($"uWSGI option \"{r.Key}\" is not supported by NginxLite ({r.Reason})", r.Position, 0));
            var files = Document.Files.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
            return
            [
                .. Diagnostics.Concat(unsupported)
                    .OrderBy(d => d.Position is { Line: > 0 } p && files.TryGetValue(p.File, out var i) ? i : int.MaxValue)
                    .ThenBy(d => d.Position?.Line ?? 0),
            ];
        }
    }

    public bool Ok => !Diagnostics.Any(d => d.IsError);
}
