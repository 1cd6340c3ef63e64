namespace NginxLite.Config.Validation.Security.Values;

/// <summary>
/// What a variable holds where it is used: a builtin's grammar (gixy's <c>core/builtin_variables.py</c>, from the
/// nginx variable docs), a capture of the enclosing regex <c>location</c>, or the value of an earlier <c>set</c>.
/// </summary>
internal static class VariableScope
{
    private const int MaxDepth = 16;

    // Client input, by the grammar nginx lets through (ngx_http_core_module "Embedded Variables").
    private static readonly RegexNode UriLike = RegexModel.Parse(@"/[^\x20\t]*").Root;   // $uri: decoded, so %0A is a newline
    private static readonly RegexNode RequestUri = RegexModel.Parse(@"/[^\s]*").Root;    // raw request line: no CR/LF
    private static readonly RegexNode ArgValue = RegexModel.Parse(@"[^\s&]+").Root;
    private static readonly RegexNode Args = RegexModel.Parse(@"[^\s]+").Root;
    private static readonly RegexNode HeaderValue = RegexModel.Parse(@"[\x21-\x7e]").Root;

    public static ValueModel ResolveScript(LintNode at, string value, HashSet<string> assigned, int depth)
    {
        var literals = new List<string>();
        var variables = new List<ValueModel>();
        foreach (var part in ScriptPart.Split(value))
        {
            if (part.Literal is { } text)
            {
                literals.Add(text);
            }
            else
            {
                variables.Add(Resolve(at, part.Variable!, assigned, depth + 1));
            }
        }

        return new ValueModel.Script(literals, variables);
    }

    public static ValueModel Resolve(LintNode at, string name, HashSet<string> assigned, int depth)
    {
        if (depth > MaxDepth)
        {
            return ValueModel.Unknown.Instance;
        }

        if (name.Length == 1 && char.IsAsciiDigit(name[0]))
        {
            return Capture(at, int.Parse(name, System.Globalization.CultureInfo.InvariantCulture));
        }

        // An earlier "set" in scope wins over a builtin of the same name (gixy's vars_from_loc sets $host).
        foreach (var earlier in assigned.Contains(name) ? at.EarlierInScope() : [])
        {
            if (earlier.Name == "set" && earlier.ArgCount >= 2 && earlier.Arg(0) == "$" + name)
            {
                return ResolveScript(earlier, earlier.Arg(1), assigned, depth + 1);
            }
        }

        foreach (var location in RegexLocations(at))
        {
            if (location.Model.Named.TryGetValue(name, out var named))
            {
                return new ValueModel.Matched(named);
            }
        }

        return Builtin(name);
    }

    /// <summary>The regex of <c>location ~ RE</c> / <c>~* RE</c> blocks around <paramref name="at"/>, nearest first.</summary>
    public static IEnumerable<(LintNode Location, RegexModel Model)> RegexLocations(LintNode at)
    {
        foreach (var a in at.Ancestors())
        {
            if (a.Name == "location" && a.ArgCount >= 2 && a.Arg(0) is "~" or "~*")
            {
                yield return (a, RegexModel.Parse(a.Arg(1)));
            }
        }
    }

    private static ValueModel Capture(LintNode at, int n)
    {
        // $1…$9 are the last regex match's: the enclosing regex location's (gixy's model).
        foreach (var (_, model) in RegexLocations(at))
        {
            return model.Numbered.TryGetValue(n, out var group) ? new ValueModel.Matched(group) : ValueModel.Unknown.Instance;
        }

        return ValueModel.Unknown.Instance;
    }

    private static ValueModel Builtin(string name) =>
        name switch
        {
            "uri" or "document_uri" => new ValueModel.Matched(UriLike),
            "request_uri" => new ValueModel.Matched(RequestUri),
            "args" or "query_string" => new ValueModel.Matched(Args),
            _ when name.StartsWith("arg_", StringComparison.Ordinal) => new ValueModel.Matched(ArgValue),
            _ when name.StartsWith("http_", StringComparison.Ordinal) => new ValueModel.Matched(HeaderValue),
            _ when KnownVariables.Contains(name) => ValueModel.Server.Instance,
            _ => ValueModel.Unknown.Instance,
        };

    /// <summary>Builtins the client cannot shape freely (or not at all); anything else unknown is not judged.</summary>
    private static readonly HashSet<string> KnownVariables =
    [
        "host", "hostname", "server_name", "server_addr", "server_port", "server_protocol", "scheme", "https",
        "remote_addr", "remote_port", "remote_user", "binary_remote_addr", "request_method", "request_id",
        "document_root", "realpath_root", "request_filename", "fastcgi_script_name", "fastcgi_path_info",
        "content_type", "content_length", "is_args", "status", "nginx_version", "pid", "msec", "time_local",
        "time_iso8601", "proxy_host", "proxy_port", "proxy_add_x_forwarded_for", "upstream_addr", "request",
        "request_body", "limit_rate", "connection", "connection_requests",
    ];
}
