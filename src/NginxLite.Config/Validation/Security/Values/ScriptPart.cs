namespace NginxLite.Config.Validation.Security.Values;

/// <summary>One piece of an nginx script value: literal text, or a variable (<c>$name</c>, <c>${name}</c>, <c>$1</c>).</summary>
internal readonly record struct ScriptPart(string? Literal, string? Variable)
{
    /// <summary>Splits <paramref name="value"/> the way ngx_http_script_compile reads it.</summary>
    public static List<ScriptPart> Split(string value)
    {
        var parts = new List<ScriptPart>();
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '$' || i + 1 >= value.Length)
            {
                text.Append(value[i]);
                continue;
            }

            string name;
            if (value[i + 1] == '{')
            {
                var close = value.IndexOf('}', i + 2);
                if (close < 0)
                {
                    text.Append(value[i..]);
                    break;
                }

                name = value[(i + 2)..close];
                i = close;
            }
            else if (char.IsAsciiDigit(value[i + 1]))
            {
                // $1 … $9: one digit, as nginx reads captures.
                name = value[i + 1].ToString();
                i++;
            }
            else
            {
                var end = i + 1;
                while (end < value.Length && (char.IsAsciiLetterOrDigit(value[end]) || value[end] == '_'))
                {
                    end++;
                }

                if (end == i + 1)
                {
                    text.Append('$');
                    continue;
                }

                name = value[(i + 1)..end];
                i = end - 1;
            }

            if (text.Length > 0)
            {
                parts.Add(new ScriptPart(text.ToString(), null));
                text.Clear();
            }

            parts.Add(new ScriptPart(null, name));
        }

        if (text.Length > 0)
        {
            parts.Add(new ScriptPart(text.ToString(), null));
        }

        return parts;
    }
}
