using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// The parts of an <c>if (…)</c> condition, read as ngx_http_rewrite_if_condition reads them:
/// <c>($var)</c>, <c>($var = v)</c>, <c>($var != v)</c>, <c>($var ~ re)</c> (<c>~*</c> <c>!~</c> <c>!~*</c>),
/// and <c>(-f v)</c> (<c>-d -e -x</c> and their <c>!</c> forms).
/// </summary>
/// <param name="Error">nginx's message when the condition is malformed, else null.</param>
/// <param name="Variable">The tested variable (without <c>$</c>, lower case), if any.</param>
/// <param name="Value">The compared value or file operand (a complex value), if any.</param>
/// <param name="Regex">The regular expression operand, if any.</param>
internal sealed record IfCondition(string? Error, string? Variable, string? Value, string? Regex)
{
    private static readonly string[] RegexOperators = ["~", "~*", "!~", "!~*"];

    public static IfCondition Parse(BoundDirective directive)
    {
        var args = directive.Arguments.Select(a => a.Value).ToArray();
        if (args.Length == 0)
        {
            return Fail("invalid number of arguments in \"if\" directive");
        }

        var first = args[0];
        if (first.Length < 1 || first[0] != '(')
        {
            return Fail($"invalid condition \"{first}\"");
        }

        var cur = 0;
        if (first.Length == 1)
        {
            cur = 1;
        }
        else
        {
            args[0] = first[1..];
        }

        var last = args.Length - 1;
        var lastValue = args[last];
        if (lastValue.Length < 1 || lastValue[^1] != ')')
        {
            return Fail($"invalid condition \"{lastValue}\"");
        }

        if (lastValue.Length == 1)
        {
            last--;
        }
        else
        {
            args[last] = lastValue[..^1];
        }

        if (cur > last)
        {
            // "if ( )": nginx reads the empty token after the parentheses.
            return Fail("invalid condition \"\"");
        }

        var p = args[cur];
        if (p.Length > 1 && p[0] == '$')
        {
            if (cur != last && cur + 2 != last)
            {
                return Fail($"invalid condition \"{p}\"");
            }

            var variable = p[1..].ToLowerInvariant();
            if (cur == last)
            {
                return new(null, variable, null, null);
            }

            var op = args[cur + 1];
            if (op is "=" or "!=")
            {
                return new(null, variable, args[last], null);
            }

            if (RegexOperators.Contains(op))
            {
                return new(null, variable, null, args[last]);
            }

            return Fail($"unexpected \"{op}\" in condition");
        }

        if (p is ['-', 'f' or 'd' or 'e' or 'x'] or ['!', '-', 'f' or 'd' or 'e' or 'x'])
        {
            return cur + 1 == last ? new(null, null, args[last], null) : Fail($"invalid condition \"{p}\"");
        }

        return Fail($"invalid condition \"{p}\"");
    }

    private static IfCondition Fail(string message) => new(message, null, null, null);
}
