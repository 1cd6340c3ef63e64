namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// Finds variable references the way ngx_http_script_compile does: <c>$1</c>…<c>$9</c> are captures, <c>${name}</c>
/// and <c>$name</c> (letters, digits, <c>_</c>) are variables (so <c>$0</c> is a variable named "0"), a <c>$</c> at
/// the end or before another character is "invalid variable name", and an unclosed <c>${</c> is
/// "the closing bracket in "name" variable is missing".
/// </summary>
internal static class ScriptScanner
{
    public static IEnumerable<VariableReference> Scan(string value)
    {
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] != '$')
            {
                i++;
                continue;
            }

            if (++i == value.Length)
            {
                yield return new(null, "invalid variable name");
                yield break;
            }

            if (value[i] is >= '1' and <= '9')
            {
                i++;
                continue;
            }

            var bracket = value[i] == '{';
            if (bracket && ++i == value.Length)
            {
                yield return new(null, "invalid variable name");
                yield break;
            }

            var start = i;
            var length = 0;
            for (; i < value.Length; i++, length++)
            {
                var ch = value[i];
                if (ch == '}' && bracket)
                {
                    i++;
                    bracket = false;
                    break;
                }

                if (!IsNameChar(ch))
                {
                    break;
                }
            }

            var name = value.Substring(start, length);
            if (bracket)
            {
                yield return new(null, $"the closing bracket in \"{name}\" variable is missing");
                yield break;
            }

            if (length == 0)
            {
                yield return new(null, "invalid variable name");
                yield break;
            }

            yield return new(name.ToLowerInvariant(), null);
        }
    }

    private static bool IsNameChar(char ch) => ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';
}
