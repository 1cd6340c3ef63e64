namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>Checks of the main and events directives.</summary>
public static partial class ValueCheck
{
    private static readonly string[] LogLevels =
    [
        "stderr", "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
        "debug_core", "debug_alloc", "debug_mutex", "debug_event", "debug_http", "debug_mail", "debug_stream",
    ];

    /// <summary>Event methods of Debian's Linux build (<c>ngx_event_use</c>).</summary>
    private static readonly string[] EventTypes = ["epoll", "poll", "select"];

    /// <summary><c>error_log FILE [LEVEL…]</c>: <c>ngx_log_set_levels</c>.</summary>
    public static DirectiveValueCheck ErrorLog { get; } = (d, scope) =>
    {
        for (var i = 1; i < d.Arguments.Count; i++)
        {
            if (!LogLevels.Contains(d.Arg(i), StringComparer.Ordinal))
            {
                scope.Emerg(d, $"invalid log level \"{d.Arg(i)}\"");
                return;
            }
        }
    };

    /// <summary><c>use METHOD</c> in events.</summary>
    public static DirectiveValueCheck EventType { get; } = (d, scope) =>
    {
        if (!EventTypes.Contains(d.Arg(0), StringComparer.Ordinal))
        {
            scope.Emerg(d, $"invalid event type \"{d.Arg(0)}\"");
        }
    };

    /// <summary><c>worker_processes N|auto</c>.</summary>
    public static DirectiveValueCheck WorkerProcesses { get; } = (d, scope) =>
    {
        if (d.Arg(0) != "auto" && !NginxValue.TryParseDigits(d.Arg(0), out _))
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary><c>worker_connections N</c> has its own setter and message.</summary>
    public static DirectiveValueCheck WorkerConnections { get; } = (d, scope) =>
    {
        if (!NginxValue.TryParseDigits(d.Arg(0), out _))
        {
            scope.Emerg(d, $"invalid number \"{d.Arg(0)}\"");
        }
    };
}
