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
        Regex = new Regex(PcreRegex.Translate(pattern), PcreRegex.Options(ignoreCase));
        var named = new List<(int, int)>();
        foreach (var name in Regex.GetGroupNames())
        {
            if (!char.IsAsciiDigit(name[0]))
            {
                named.Add((Regex.GroupNumberFromName(name), variables.Slot(name.ToLowerInvariant())));
            }
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
}
