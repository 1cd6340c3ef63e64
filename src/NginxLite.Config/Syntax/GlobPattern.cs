namespace NginxLite.Config.Syntax;

/// <summary>fnmatch(3) for one path component as glob(3) uses it: <c>*</c>, <c>?</c>, <c>[a-z]</c>, <c>[!x]</c>, <c>\x</c>; no leading-dot match.</summary>
internal static class GlobPattern
{
    public static bool IsMatch(string pattern, string name)
    {
        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }

        return Match(pattern, 0, name, 0);
    }

    private static bool Match(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            char c = p[pi];
            switch (c)
            {
                case '*':
                    while (pi < p.Length && p[pi] == '*')
                    {
                        pi++;
                    }

                    if (pi == p.Length)
                    {
                        return true;
                    }

                    for (int k = si; k <= s.Length; k++)
                    {
                        if (Match(p, pi, s, k))
                        {
                            return true;
                        }
                    }

                    return false;

                case '?':
                    if (si == s.Length)
                    {
                        return false;
                    }

                    pi++;
                    si++;
                    break;

                case '[':
                    if (si == s.Length)
                    {
                        return false;
                    }

                    int next = MatchClass(p, pi, s[si], out bool matched);
                    if (next < 0)
                    {
                        // An unclosed "[" is an ordinary character.
                        goto default;
                    }

                    if (!matched)
                    {
                        return false;
                    }

                    pi = next;
                    si++;
                    break;

                default:
                    if (c == '\\' && pi + 1 < p.Length)
                    {
                        pi++;
                        c = p[pi];
                    }

                    if (si == s.Length || s[si] != c)
                    {
                        return false;
                    }

                    pi++;
                    si++;
                    break;
            }
        }

        return si == s.Length;
    }

    /// <summary>Match <paramref name="ch"/> against the class at <paramref name="start"/>; returns the index after <c>]</c> or -1.</summary>
    private static int MatchClass(string p, int start, char ch, out bool matched)
    {
        matched = false;
        int i = start + 1;
        bool negate = i < p.Length && (p[i] == '!' || p[i] == '^');
        if (negate)
        {
            i++;
        }

        bool first = true;
        bool hit = false;
        while (i < p.Length && (p[i] != ']' || first))
        {
            first = false;
            char lo = p[i];
            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                hit |= ch >= lo && ch <= p[i + 2];
                i += 3;
            }
            else
            {
                hit |= ch == lo;
                i++;
            }
        }

        if (i >= p.Length)
        {
            return -1;
        }

        matched = hit != negate;
        return i + 1;
    }
}
