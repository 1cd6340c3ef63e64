using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Rewrite;

/// <summary>One compiled rewrite-module directive.</summary>
public abstract class RewriteOp
{
}

/// <summary><c>return code [text|URL]</c> / <c>return URL</c>.</summary>
public sealed class ReturnOp(int status, ComplexValue? text) : RewriteOp
{
    public int Status { get; } = status;

    public ComplexValue? Text { get; } = text;
}

public enum RewriteFlag
{
    None,
    Last,
    Break,
    Redirect,
    Permanent,
}

/// <summary><c>rewrite regex replacement [flag]</c>, with nginx's redirect detection and <c>?</c> rule done at compile time.</summary>
public sealed class RewriteRuleOp : RewriteOp
{
    public RewriteRuleOp(CompiledRegex regex, ComplexValue replacement, RewriteFlag flag)
    {
        Regex = regex;
        Replacement = replacement;
        var src = replacement.Source;
        var isUrl = src.StartsWith("http://", StringComparison.Ordinal) || src.StartsWith("https://", StringComparison.Ordinal)
            || src.StartsWith("$scheme", StringComparison.Ordinal);
        Flag = isUrl && flag is not (RewriteFlag.Permanent or RewriteFlag.Redirect) ? RewriteFlag.Redirect : flag;
        HasArgs = src.Contains('?', StringComparison.Ordinal);
        KeepOldArgs = !src.EndsWith('?');
    }

    public CompiledRegex Regex { get; }

    public ComplexValue Replacement { get; }

    public RewriteFlag Flag { get; }

    /// <summary>The replacement has a <c>?</c>: what follows it becomes the arguments.</summary>
    public bool HasArgs { get; }

    /// <summary>The replacement does not end with <c>?</c>: the request's old arguments are appended.</summary>
    public bool KeepOldArgs { get; }
}

/// <summary><c>set $var value</c> (<c>$args</c> writes the request's arguments).</summary>
public sealed class SetOp(VariableRef variable, ComplexValue value) : RewriteOp
{
    public VariableRef Variable { get; } = variable;

    public ComplexValue Value { get; } = value;
}

public sealed class BreakOp : RewriteOp
{
    public static readonly BreakOp Instance = new();
}

/// <summary><c>if (condition) { … }</c>: its rewrite directives, and the settings its other directives make (an
/// "if location" in nginx's terms).</summary>
public sealed class IfOp(Condition condition, RewriteProgram body, LocationSettings? settings) : RewriteOp
{
    public Condition Condition { get; } = condition;

    public RewriteProgram Body { get; } = body;

    public LocationSettings? Settings { get; } = settings;
}
