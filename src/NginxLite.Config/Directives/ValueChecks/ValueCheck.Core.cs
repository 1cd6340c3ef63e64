namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>Checks of the main and events directives.</summary>
public static partial class ValueCheck
{
    private static readonly string[] LogLevels = ["emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"];

    private static readonly string[] DebugLevels =
        ["debug_core", "debug_alloc", "debug_mutex", "debug_event", "debug_http", "debug_mail", "debug_stream"];

    /// <summary>Event methods of Debian's Linux build (<c>ngx_event_use</c>).</summary>
    private static readonly string[] EventTypes = ["epoll", "poll", "select"];

    /// <summary>
    /// <c>error_log FILE [LEVEL…]</c> (ngx_log_set_levels): a level only first (else "duplicate"), <c>debug_*</c> flags
    /// never after a level (else "invalid").
    /// </summary>
    public static DirectiveValueCheck ErrorLog { get; } = (d, scope) =>
    {
        bool any = false, level = false;
        for (var i = 1; i < d.Arguments.Count; i++)
        {
            var v = d.Arg(i);
            var error = LogLevels.Contains(v, StringComparer.Ordinal) ? (any ? $"duplicate log level \"{v}\"" : null)
                : DebugLevels.Contains(v, StringComparer.Ordinal) && !level ? null
                : $"invalid log level \"{v}\"";
            if (error is not null)
            {
                scope.Emerg(d, error);
                return;
            }

            level |= LogLevels.Contains(v, StringComparer.Ordinal);
            any = true;
        }
    };

    /// <summary><c>worker_priority [-|+]N</c>.</summary>
    public static DirectiveValueCheck WorkerPriority { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        if (!NginxValue.TryParseDigits(v.Length > 0 && v[0] is '-' or '+' ? v.AsSpan(1) : v, out _))
        {
            scope.Emerg(d, $"\"{d.Name}\" directive invalid number");
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
