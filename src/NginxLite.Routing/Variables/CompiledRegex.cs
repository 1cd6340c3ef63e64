using System.Text.RegularExpressions;
using NginxLite.Config.Directives.ValueChecks;

namespace NginxLite.Routing.Variables;

/// <summary>A PCRE pattern compiled once to a .NET regex, with the user slots its named groups fill on a match
/// (nginx turns <c>(?&lt;name&gt;…)</c> into the variable <c>$name</c>).</summary>
public sealed class CompiledRegex
{
    private readonly (int Group, int Slot)[] _named;

    public CompiledRegex(string pattern, bool ignoreCase, VariableTable variables)
    {
        Pattern = pattern;
        var translated = NumberNamedGroups(PcreRegex.Translate(pattern), out var names);
        Regex = new Regex(translated, PcreRegex.Options(ignoreCase));
        var named = new List<(int, int)>();
        foreach (var (name, number) in names)
        {
            named.Add((number, variables.Slot(name.ToLowerInvariant())));
        }

        _named = [.. named];
    }

    public string Pattern { get; }

    public Regex Regex { get; }

    /// <summary>Matches <paramref name="input"/>; on success stores the captures in <paramref name="state"/>.</summary>
    public bool Match(string input, IRequestState state)
    {
        var m = Regex.Match(input);
        if (!m.Success)
        {
            return false;
        }

        Bind(m, state);
        return true;
    }

    public void Bind(Match m, IRequestState state)
    {
        state.Captures = m;
        var slots = state.UserVariables;
        foreach (var (group, slot) in _named)
        {
            if (slot < slots.Length)
            {
                slots[slot] = m.Groups[group].Success ? m.Groups[group].Value : "";
            }
        }
    }

    public override string ToString() => Pattern;

    /// <summary>
    /// PCRE numbers named groups with the others, left to right; .NET numbers them after the unnamed ones. So
    /// <c>$2</c> would differ: named groups become plain groups here and keep their names in a side list.
    /// </summary>
    internal static string NumberNamedGroups(string pattern, out List<(string Name, int Number)> names)
    {
        names = [];
        if (pattern.Contains("\\k", StringComparison.Ordinal) || !pattern.Contains("(?", StringComparison.Ordinal))
        {
            return pattern;
        }

        var sb = new System.Text.StringBuilder(pattern.Length);
        var number = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(c).Append(pattern[++i]);
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                sb.Append(c);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                sb.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    sb.Append(pattern[++i]);
                }

                continue;
            }

            if (c == '(' && i + 1 < pattern.Length && pattern[i + 1] != '?')
            {
                number++;
            }
            else if (c == '(' && i + 3 < pattern.Length && pattern[i + 1] == '?' && (pattern[i + 2] == '<' || pattern[i + 2] == '\'')
                && pattern[i + 3] != '=' && pattern[i + 3] != '!')
            {
                var close = pattern.IndexOf(pattern[i + 2] == '<' ? '>' : '\'', i + 3);
                if (close > 0)
                {
                    number++;
                    names.Add((pattern[(i + 3)..close], number));
                    sb.Append('(');
                    i = close;
                    continue;
                }
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
