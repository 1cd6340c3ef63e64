using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Rewrite;

/// <summary>A compiled <c>if</c> condition (ngx_http_rewrite_if_condition).</summary>
public abstract class Condition
{
    public abstract bool Evaluate(IRequestState state);
}

/// <summary><c>($var)</c>: false when empty or "0".</summary>
public sealed class TruthCondition(ComplexValue value) : Condition
{
    public override bool Evaluate(IRequestState state)
    {
        var v = value.Evaluate(state);
        return v.Length > 0 && v != "0";
    }
}

/// <summary><c>($var = text)</c> / <c>!=</c>.</summary>
public sealed class EqualsCondition(ComplexValue left, ComplexValue right, bool negate) : Condition
{
    public override bool Evaluate(IRequestState state) =>
        string.Equals(left.Evaluate(state), right.Evaluate(state), StringComparison.Ordinal) != negate;
}

/// <summary><c>($var ~ re)</c> <c>~*</c> <c>!~</c> <c>!~*</c>; a positive match sets the captures.</summary>
public sealed class RegexCondition(ComplexValue left, CompiledRegex regex, bool negate) : Condition
{
    public override bool Evaluate(IRequestState state)
    {
        var input = left.Evaluate(state);
        if (negate)
        {
            return !regex.Regex.IsMatch(input);
        }

        return regex.Match(input, state);
    }
}

/// <summary><c>(-f path)</c> <c>-d</c> <c>-e</c> <c>-x</c> and the <c>!</c> forms.</summary>
public sealed class FileCondition(ComplexValue path, char test, bool negate) : Condition
{
    public override bool Evaluate(IRequestState state)
    {
        var p = path.Evaluate(state);
        var result = test switch
        {
            'f' => File.Exists(p),
            'd' => Directory.Exists(p),
            'e' => File.Exists(p) || Directory.Exists(p),
            _ => File.Exists(p) && IsExecutable(p),
        };
        return result != negate;
    }

    private static bool IsExecutable(string p)
    {
        try
        {
            return !OperatingSystem.IsWindows() && (File.GetUnixFileMode(p) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return false;
        }
    }
}
