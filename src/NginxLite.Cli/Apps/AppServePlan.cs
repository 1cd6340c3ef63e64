namespace NginxLite.Cli.Apps;

/// <summary>
/// What a front end (<c>--ini</c>, <c>wsgi</c>, <c>rack</c>) asks to serve, in NginxLite's own terms: one
/// <c>app NAME { … }</c> block, an optional HTTP server in front of it, and top-level directives. Written out by
/// <see cref="AppServeConfigWriter"/> and served through the one serve path (<see cref="ServeCommand"/>).
/// </summary>
internal sealed record AppServePlan
{
    /// <summary>The name of the <c>app</c> block (and of <c>app_pass</c>).</summary>
    public required string AppName { get; init; }

    /// <summary>Directives inside <c>app NAME { }</c>, each as name and arguments.</summary>
    public required IReadOnlyList<PlanDirective> App { get; init; }

    /// <summary>Each <c>listen</c>'s arguments (address, then parameters) of the HTTP server routing to the app; none = no server block.</summary>
    public IReadOnlyList<string[]> Listens { get; init; } = [];

    /// <summary>Static locations of the server (uWSGI's <c>static-map MOUNT=DIR</c>), before <c>location /</c>.</summary>
    public IReadOnlyList<(string Mount, string Directory)> StaticMaps { get; init; } = [];

    /// <summary>Directives of the server block besides listen and locations (access_log …).</summary>
    public IReadOnlyList<PlanDirective> Server { get; init; } = [];

    /// <summary>Directives of the <c>http</c> block.</summary>
    public IReadOnlyList<PlanDirective> Http { get; init; } = [];

    /// <summary>Directives of the main context (<c>pid</c>, <c>error_log</c>).</summary>
    public required IReadOnlyList<PlanDirective> Main { get; init; }

    /// <summary>Files whose mtime change reloads the workers (uWSGI's <c>touch-reload</c>).</summary>
    public IReadOnlyList<string> TouchReload { get; init; } = [];

    /// <summary>uWSGI's <c>stats</c> address (<c>host:port</c> or a Unix socket path), or null.</summary>
    public string? Stats { get; init; }

    /// <summary>uWSGI's <c>stats-http</c>: the stats JSON after HTTP response headers.</summary>
    public bool StatsHttp { get; init; }
}

/// <summary>One directive of a plan: <c>name arg…;</c>.</summary>
internal sealed record PlanDirective(string Name, params string[] Arguments);
