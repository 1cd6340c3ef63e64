using System.Text;

namespace NginxLite.Routing.Variables;

/// <summary>
/// nginx's "complex value": text with <c>$var</c>, <c>${var}</c> and <c>$1</c>…<c>$9</c>, parsed once at compile time
/// into literal and variable parts. Evaluation only concatenates.
/// </summary>
public sealed class ComplexValue
{
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private readonly object[] _parts; // string (literal) or VariableRef

    private ComplexValue(string source, object[] parts)
    {
        Source = source;
        _parts = parts;
    }

    public string Source { get; }

    /// <summary>True when the value has no variables; <see cref="Source"/> is then the value.</summary>
    public bool IsLiteral => _parts.Length == 0 || (_parts.Length == 1 && _parts[0] is string);

    public bool HasCaptures => _parts.Any(p => p is VariableRef { Kind: VariableKind.Capture });

    public static ComplexValue Literal(string text) => new(text, text.Length == 0 ? [] : [text]);

    public static ComplexValue Parse(string text, VariableTable variables)
    {
        var parts = new List<object>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                literal.Append(c);
                i++;
                continue;
            }

            string name;
            if (text[i + 1] == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    literal.Append(c);
                    i++;
                    continue;
                }

                name = text[(i + 2)..close];
                i = close + 1;
            }
            else if (char.IsAsciiDigit(text[i + 1]))
            {
                name = text[i + 1].ToString();
                i += 2;
            }
            else
            {
                var start = i + 1;
                var end = start;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
                {
                    end++;
                }

                if (end == start)
                {
                    literal.Append(c);
                    i++;
                    continue;
                }

                name = text[start..end];
                i = end;
            }

            if (literal.Length > 0)
            {
                parts.Add(literal.ToString());
                literal.Clear();
            }

            parts.Add(variables.Resolve(name));
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        return new ComplexValue(text, [.. parts]);
    }

    public string Evaluate(IRequestState state)
    {
        var parts = _parts;
        if (parts.Length == 0)
        {
            return "";
        }

        if (parts.Length == 1)
        {
            return parts[0] is string s ? s : Get(state, (VariableRef)parts[0]) ?? "";
        }

        var sb = t_builder ??= new StringBuilder(256);
        sb.Clear();
        foreach (var part in parts)
        {
            if (part is string s)
            {
                sb.Append(s);
            }
            else
            {
                sb.Append(Get(state, (VariableRef)part));
            }
        }

        var result = sb.ToString();
        if (sb.Capacity > 4096)
        {
            t_builder = null;
        }

        return result;
    }

    /// <summary>Walks the parts: literals are appended as they are, each variable's value (null when not found)
    /// goes through <paramref name="append"/> (access logs escape values this way).</summary>
    public void Visit<TArg>(IRequestState state, StringBuilder sb, TArg arg, Action<StringBuilder, string?, TArg> append)
    {
        foreach (var part in _parts)
        {
            if (part is string s)
            {
                sb.Append(s);
            }
            else
            {
                append(sb, Get(state, (VariableRef)part), arg);
            }
        }
    }

    /// <summary>ngx_http_variable_depth: at most this many variable evaluations nest (a map reading a map …); the
    /// next one is nginx's "cycle while evaluating variable" and reads as not found.</summary>
    public const int MaxDepth = 100;

    [ThreadStatic]
    private static int t_depth;

    /// <summary>Reads one variable: captures and user slots here, built-ins from the request.</summary>
    public static string? Get(IRequestState state, VariableRef v)
    {
        switch (v.Kind)
        {
            case VariableKind.Capture:
                var m = state.Captures;
                return m is not null && v.Index < m.Groups.Count && m.Groups[v.Index].Success ? m.Groups[v.Index].Value : null;
            case VariableKind.User:
                var slots = state.UserVariables;
                return v.Index < slots.Length ? slots[v.Index] : null;
            case VariableKind.Computed:
                return GetComputed(state, v);
        }

        if (t_depth >= MaxDepth)
        {
            return Cycle(state, v);
        }

        switch (v.Kind)
        {
            case VariableKind.Uri:
                return state.Uri;
            case VariableKind.Args:
                return state.Args;
            case VariableKind.IsArgs:
                return state.Args.Length > 0 ? "?" : "";
            default:
                return state.GetVariable(v);
        }
    }

    /// <summary>A map/geo/split_clients value: cached in its slot for the request unless volatile. Evaluations nest
    /// as in nginx (ngx_http_get_indexed_variable): a definition that reads itself, directly or through others, is
    /// evaluated <see cref="MaxDepth"/> levels deep, where the innermost read fails (logged) and is empty.</summary>
    private static string? GetComputed(IRequestState state, VariableRef v)
    {
        var c = v.Computed!;
        var slots = state.UserVariables;
        var cacheable = !c.Volatile && c.Slot < slots.Length;
        if (cacheable && slots[c.Slot] is { } cached)
        {
            return cached;
        }

        if (t_depth >= MaxDepth)
        {
            return Cycle(state, v);
        }

        // The caller may be in the middle of Evaluate with the thread's builder: the nested evaluation gets its own.
        var outer = t_builder;
        t_builder = null;
        t_depth++;
        string value;
        try
        {
            value = c.Compute(state);
        }
        finally
        {
            t_depth--;
            t_builder = outer;
        }

        if (cacheable)
        {
            slots[c.Slot] = value;
        }

        return value;
    }

    private static string? Cycle(IRequestState state, VariableRef v)
    {
        state.LogError($"cycle while evaluating variable \"{NginxName(v)}\"");
        return null;
    }

    /// <summary>The variable's name as nginx logs it (lower case, prefix included).</summary>
    private static string NginxName(VariableRef v) => v.Kind switch
    {
        VariableKind.Http => "http_" + v.Name.Replace('-', '_').ToLowerInvariant(),
        VariableKind.SentHttp => "sent_http_" + v.Name.Replace('-', '_').ToLowerInvariant(),
        VariableKind.Arg => "arg_" + v.Name.ToLowerInvariant(),
        VariableKind.Cookie => "cookie_" + v.Name.ToLowerInvariant(),
        _ => v.Name,
    };

    public override string ToString() => Source;
}
