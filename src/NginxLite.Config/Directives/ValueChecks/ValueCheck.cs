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

    /// <summary>First argument is a size (<c>8k</c>, <c>1m</c>): <c>ngx_parse_size</c> knows no <c>g</c> (size_t slots).</summary>
    public static DirectiveValueCheck Size { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        if (!NginxValue.HasVariable(v) && !NginxValue.TryParseSize(v, out _, allowGiga: false))
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary>First argument is an offset (<c>1g</c> too): <c>ngx_conf_set_off_slot</c> (<c>client_max_body_size</c>).</summary>
    public static DirectiveValueCheck Offset { get; } = (d, scope) =>
    {
        if (!NginxValue.TryParseSize(d.Arg(0), out _))
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary>First argument is a time of an msec slot (<c>ngx_conf_set_msec_slot</c>: no <c>y</c> or <c>M</c>).</summary>
    public static DirectiveValueCheck Time { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        if (NginxValue.ParseTime(v, isSec: false, out _) == NginxValue.TimeResult.Invalid)
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary>First argument is a time of a sec slot (<c>ngx_conf_set_sec_slot</c>: no <c>ms</c>).</summary>
    public static DirectiveValueCheck Seconds { get; } = (d, scope) =>
    {
        if (NginxValue.ParseTime(d.Arg(0), isSec: true, out _) == NginxValue.TimeResult.Invalid)
        {
            InvalidValue(d, scope);
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

    /// <summary>A number with bounds posted by the module (<c>ngx_conf_check_num_bounds</c>: <c>gzip_comp_level</c> 1..9).</summary>
    public static DirectiveValueCheck NumberBetween(long low, long high) => (d, scope) =>
    {
        if (!NginxValue.TryParseDigits(d.Arg(0), out var n))
        {
            scope.Emerg(d, $"\"{d.Name}\" directive invalid number");
        }
        else if (n < low || n > high)
        {
            scope.Emerg(d, $"value must be between {low} and {high}");
        }
    };

    /// <summary><c>ngx_conf_set_path_slot</c>: <c>PATH [LEVEL1 [LEVEL2 [LEVEL3]]]</c>, each level a positive number.</summary>
    public static DirectiveValueCheck TempPath { get; } = (d, scope) =>
    {
        if (d.Arguments.Skip(1).Any(a => !NginxValue.TryParseDigits(a.Value, out var level) || level == 0))
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary><c>number size</c> as <c>ngx_conf_set_bufs_slot</c> reads it (<c>proxy_buffers 8 4k</c>).</summary>
    public static DirectiveValueCheck Buffers { get; } = (d, scope) =>
    {
        if (d.Arguments.Count != 2 || !NginxValue.TryParseDigits(d.Arg(0), out var n) || n == 0
            || !NginxValue.TryParseSize(d.Arg(1), out var size, allowGiga: false) || size == 0)
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

    /// <summary><c>"X" directive MESSAGE</c>: a setter's returned string, prefixed by the handler.</summary>
    private static void DirectiveSays(BoundDirective d, BindScope scope, string message) =>
        scope.Emerg(d, $"\"{d.Name}\" directive {message}");

    private static void InvalidValue(BoundDirective d, BindScope scope) =>
        scope.Emerg(d, $"\"{d.Name}\" directive invalid value");
}
