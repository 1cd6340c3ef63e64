using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>
/// Reusable <see cref="DirectiveValueCheck"/>s with the messages of nginx's generic setters
/// (<c>ngx_conf_set_flag_slot</c>, <c>_size_slot</c>, <c>_msec_slot</c>, <c>_num_slot</c>, <c>_enum_slot</c>, <c>_bitmask_slot</c>).
/// The handler prefixes a setter's returned string with the directive name: <c>"X" directive invalid value</c>.
/// </summary>
public static partial class ValueCheck
{
    /// <summary><c>on</c> or <c>off</c> (any case).</summary>
    public static DirectiveValueCheck Flag { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        if (!v.Equals("on", StringComparison.OrdinalIgnoreCase) && !v.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            scope.Emerg(d, $"invalid value \"{v}\" in \"{d.Name}\" directive, it must be \"on\" or \"off\"");
        }
    };

    /// <summary>First argument is a size (<c>8k</c>, <c>1m</c>).</summary>
    public static DirectiveValueCheck Size { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        if (!NginxValue.HasVariable(v) && !NginxValue.TryParseSize(v, out _))
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary>Every argument is a time (<c>keepalive_timeout 75s 60s</c>).</summary>
    public static DirectiveValueCheck Time { get; } = (d, scope) =>
    {
        foreach (var a in d.Arguments)
        {
            if (!NginxValue.HasVariable(a.Value) && !NginxValue.TryParseTime(a.Value, out _))
            {
                InvalidValue(d, scope);
                return;
            }
        }
    };

    /// <summary>First argument is a non-negative integer.</summary>
    public static DirectiveValueCheck Number { get; } = (d, scope) =>
    {
        if (!NginxValue.TryParseDigits(d.Arg(0), out _))
        {
            scope.Emerg(d, $"\"{d.Name}\" directive invalid number");
        }
    };

    /// <summary><c>number size</c> as <c>ngx_conf_set_bufs_slot</c> reads it (<c>proxy_buffers 8 4k</c>).</summary>
    public static DirectiveValueCheck Buffers { get; } = (d, scope) =>
    {
        if (d.Arguments.Count != 2 || !NginxValue.TryParseDigits(d.Arg(0), out var n) || n == 0
            || !NginxValue.TryParseSize(d.Arg(1), out var size) || size == 0)
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary>First argument is one of <paramref name="values"/> (<c>ngx_conf_set_enum_slot</c>, case-insensitive).</summary>
    public static DirectiveValueCheck OneOf(params string[] values) => (d, scope) =>
    {
        var v = d.Arg(0);
        if (!values.Contains(v, StringComparer.OrdinalIgnoreCase))
        {
            scope.Emerg(d, $"invalid value \"{v}\"");
        }
    };

    /// <summary>Every argument is one of <paramref name="values"/> (<c>ngx_conf_set_bitmask_slot</c>).</summary>
    public static DirectiveValueCheck AnyOf(params string[] values) => (d, scope) =>
    {
        foreach (var a in d.Arguments)
        {
            if (!values.Contains(a.Value, StringComparer.OrdinalIgnoreCase))
            {
                scope.Emerg(d, $"invalid value \"{a.Value}\"");
                return;
            }
        }
    };

    private static void InvalidValue(BoundDirective d, BindScope scope) =>
        scope.Emerg(d, $"\"{d.Name}\" directive invalid value");
}
