namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// Reads an origin/referrer regex the way an attacker would: for each top-level alternative, is it anchored, is the
/// host part free of unescaped dots and open wildcards, and does something (<c>/</c>, <c>$</c>, a port) end the host
/// so "example.com.evil.com" cannot match? Returns the first weakness found, or null.
/// </summary>
internal static class OriginPattern
{
    public static string? Weakness(string pattern, bool withScheme, SecurityLintOptions options)
    {
        foreach (var branch in TopLevelBranches(pattern))
        {
            if (Branch(branch, withScheme, options) is { } why)
            {
                return why;
            }
        }

        return null;
    }

    private static string? Branch(string branch, bool withScheme, SecurityLintOptions options)
    {
        if (!branch.StartsWith('^'))
        {
            return $"\"{branch}\" is not anchored with \"^\", so it matches anywhere, e.g. in \"http://evil.com/?{Plain(branch)}\"";
        }

        var i = 1;
        if (withScheme)
        {
            var slashes = FindDoubleSlash(branch, i);
            if (slashes.Start < 0)
            {
                return $"\"{branch}\" does not pin the scheme and host (no \"//\")";
            }

            var scheme = branch[i..slashes.Start];
            if (options.OriginHttpsOnly && (scheme.Contains("s?", StringComparison.Ordinal) || !scheme.Contains("https", StringComparison.Ordinal)))
            {
                return $"\"{branch}\" also accepts plain http:// origins, which a network attacker can forge";
            }

            i = slashes.End;
        }

        var (host, terminated) = HostPart(branch, i);
        if (UnescapedDot(host))
        {
            return $"the host part \"{host}\" has an unescaped \".\" (any character), so e.g. \"{Plain(host).Replace('.', 'x')}\" matches too";
        }

        if (OpenWildcardBeforeName(host))
        {
            return $"the host part \"{host}\" lets any prefix run into the name, so e.g. \"evil{Plain(host)}\" matches";
        }

        if (!terminated)
        {
            return $"nothing ends the host part \"{host}\" (no \"/\", \"$\" or port), so \"{Plain(host)}.evil.com\" matches";
        }

        if (options.OriginDomains.Count > 0 && !options.OriginDomains.Any(d => Plain(host).Equals(d, StringComparison.OrdinalIgnoreCase) || Plain(host).EndsWith("." + d, StringComparison.OrdinalIgnoreCase)))
        {
            return $"the host part \"{host}\" is not one of the trusted domains ({string.Join(", ", options.OriginDomains)})";
        }

        return null;
    }

    private static (int Start, int End) FindDoubleSlash(string s, int from)
    {
        for (var i = from; i < s.Length; i++)
        {
            if (s.AsSpan(i).StartsWith(@"\/\/"))
            {
                return (i, i + 4);
            }

            if (s.AsSpan(i).StartsWith("//"))
            {
                return (i, i + 2);
            }
        }

        return (-1, -1);
    }

    /// <summary>The host: from <paramref name="start"/> to the first "/", "\/", "$", ":", "?" or a group opening with one.</summary>
    private static (string Host, bool Terminated) HostPart(string s, int start)
    {
        var depth = 0;
        var inClass = false;
        for (var i = start; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                if (!inClass && depth == 0 && i + 1 < s.Length && s[i + 1] == '/')
                {
                    return (s[start..i], true);
                }

                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    break;
                case '(' when depth == 0 && StartsTerminator(s, i + 1):
                    return (s[start..i], true);
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '/' or '$' or ':' when depth == 0:
                    return (s[start..i], true);
            }
        }

        return (s[start..], false);
    }

    private static bool StartsTerminator(string s, int i)
    {
        var rest = s[i..];
        if (rest.StartsWith("?:", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        return rest.StartsWith('/') || rest.StartsWith(@"\/", StringComparison.Ordinal) || rest.StartsWith('$') || rest.StartsWith(':');
    }

    private static bool UnescapedDot(string host)
    {
        var inClass = false;
        for (var i = 0; i < host.Length; i++)
        {
            var c = host[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else if (c == '.')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A repeated class such as <c>[^/]*</c> followed straight by a letter: "evilexample.com" matches.</summary>
    private static bool OpenWildcardBeforeName(string host)
    {
        for (var i = 0; i + 2 < host.Length; i++)
        {
            if (host[i] == ']' && host[i + 1] is '*' or '+' && char.IsAsciiLetterOrDigit(host[i + 2]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The pattern with regex syntax removed, as a sample host for messages.</summary>
    private static string Plain(string pattern)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(pattern[++i]);
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '/' or ':')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static List<string> TopLevelBranches(string pattern)
    {
        var branches = new List<string>();
        var depth = 0;
        var inClass = false;
        var start = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == '|' && depth == 0)
            {
                branches.Add(pattern[start..i]);
                start = i + 1;
            }
        }

        branches.Add(pattern[start..]);
        return branches;
    }
}
