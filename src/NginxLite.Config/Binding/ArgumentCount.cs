using NginxLite.Config.Directives;

namespace NginxLite.Config.Binding;

/// <summary>nginx's argument-count test from ngx_conf_handler.</summary>
public static class ArgumentCount
{
    private static readonly ArgumentRule[] ByCount =
    [
        ArgumentRule.NoArgs, ArgumentRule.Take1, ArgumentRule.Take2, ArgumentRule.Take3,
        ArgumentRule.Take4, ArgumentRule.Take5, ArgumentRule.Take6, ArgumentRule.Take7,
    ];

    /// <summary>True when <paramref name="count"/> arguments (name excluded) satisfy <paramref name="rule"/>.</summary>
    public static bool IsValid(ArgumentRule rule, int count)
    {
        if (rule.HasFlag(ArgumentRule.Any))
        {
            return true;
        }

        if (rule.HasFlag(ArgumentRule.Flag))
        {
            return count == 1;
        }

        if (rule.HasFlag(ArgumentRule.OneOrMore))
        {
            return count >= 1;
        }

        if (rule.HasFlag(ArgumentRule.TwoOrMore))
        {
            return count >= 2;
        }

        return count < ByCount.Length && (rule & ByCount[count]) != 0;
    }
}
