using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>Checks of the http directives that have their own setters in nginx (core, rewrite, headers, index, log).</summary>
public static partial class ValueCheck
{
    /// <summary>ngx_http_core_limit_except's method names (case-insensitive).</summary>
    private static readonly string[] Methods =
        ["GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE", "OPTIONS", "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK"];

    /// <summary><c>error_page CODE… [=[RESPONSE]] URI</c> (ngx_http_core_error_page).</summary>
    public static DirectiveValueCheck ErrorPage { get; } = (d, scope) =>
    {
        var n = d.Arguments.Count;
        var last = n - 1;
        var codesEnd = last;
        var answer = d.Arg(n - 2);
        if (answer.StartsWith('='))
        {
            if (n == 2 || (answer.Length > 1 && !NginxValue.TryParseDigits(answer.AsSpan(1), out _)))
            {
                scope.Emerg(d, $"invalid value \"{answer}\"");
                return;
            }

            codesEnd = n - 2;
        }

        for (var i = 0; i < codesEnd; i++)
        {
            var code = d.Arg(i);
            if (!NginxValue.TryParseDigits(code, out var status) || status == 499)
            {
                scope.Emerg(d, $"invalid value \"{code}\"");
                return;
            }

            if (status is < 300 or > 599)
            {
                scope.Emerg(d, $"value \"{code}\" must be between 300 and 599");
                return;
            }
        }
    };

    /// <summary><c>return CODE [TEXT|URL]</c> or <c>return URL</c> (ngx_http_rewrite_return).</summary>
    public static DirectiveValueCheck Return { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        var ok = NginxValue.TryParseDigits(v, out var status)
            ? status <= 999
            : d.Arguments.Count == 1 && (v.StartsWith("http://", StringComparison.Ordinal)
                || v.StartsWith("https://", StringComparison.Ordinal) || v.StartsWith("$scheme", StringComparison.Ordinal));
        if (!ok)
        {
            scope.Emerg(d, $"invalid return code \"{v}\"");
        }
    };

    /// <summary><c>rewrite REGEX REPLACEMENT [FLAG]</c> (ngx_http_rewrite): empty replacement, the regex, then the flag.</summary>
    public static DirectiveValueCheck Rewrite { get; } = (d, scope) =>
    {
        if (d.Arg(1).Length == 0)
        {
            scope.Emerg(d, "empty replacement");
            return;
        }

        if (!Compile(d, scope, d.Arg(0), ignoreCase: false))
        {
            return;
        }

        if (d.Arguments.Count == 3 && d.Arg(2) is not ("last" or "break" or "redirect" or "permanent"))
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(2)}\"");
        }
    };

    /// <summary><c>expires [modified] TIME|@TIME|epoch|max|off</c> (ngx_http_headers_expires).</summary>
    public static DirectiveValueCheck Expires { get; } = (d, scope) =>
    {
        var modified = d.Arguments.Count == 2;
        if (modified && d.Arg(0) != "modified")
        {
            DirectiveSays(d, scope, "invalid value");
            return;
        }

        var v = d.Arg(modified ? 1 : 0);
        if ((!modified && v is "epoch" or "max" or "off") || NginxValue.HasVariable(v))
        {
            return;
        }

        var daily = v.StartsWith('@');
        if (daily && modified)
        {
            DirectiveSays(d, scope, "daily time cannot be used with \"modified\" parameter");
            return;
        }

        var time = v.Length > 0 && v[0] is '@' or '+' or '-' ? v[1..] : v;
        if (NginxValue.ParseTime(time, isSec: true, out var seconds) == NginxValue.TimeResult.Invalid)
        {
            DirectiveSays(d, scope, "invalid value");
        }
        else if (daily && seconds > 24 * 60 * 60)
        {
            DirectiveSays(d, scope, "daily time value must be less than 24 hours");
        }
    };

    /// <summary><c>keepalive_timeout TIMEOUT [HEADER_TIMEOUT]</c>: the first in msec, the second in seconds (ngx_http_core_keepalive).</summary>
    public static DirectiveValueCheck KeepaliveTimeout { get; } = (d, scope) =>
    {
        var first = NginxValue.ParseTime(d.Arg(0), isSec: false, out _);
        var second = d.Arguments.Count > 1 ? NginxValue.ParseTime(d.Arg(1), isSec: true, out _) : NginxValue.TimeResult.Valid;
        if (first == NginxValue.TimeResult.Invalid || (first == NginxValue.TimeResult.Valid && second == NginxValue.TimeResult.Invalid))
        {
            DirectiveSays(d, scope, "invalid value");
        }
        else if (first == NginxValue.TimeResult.Large)
        {
            DirectiveSays(d, scope, "value must be less than 597 hours");
        }
        else if (second == NginxValue.TimeResult.Large)
        {
            DirectiveSays(d, scope, "value must be less than 68 years");
        }
    };

    /// <summary><c>limit_except METHOD… { }</c>.</summary>
    public static DirectiveValueCheck LimitExcept { get; } = (d, scope) =>
    {
        var bad = d.Arguments.FirstOrDefault(a => !Methods.Contains(a.Value, StringComparer.OrdinalIgnoreCase));
        if (bad is not null)
        {
            scope.Emerg(d, $"invalid method \"{bad.Value}\"");
        }
    };

    /// <summary><c>index FILE…</c> (ngx_http_index_set_index; nginx names the first file whichever is empty).</summary>
    public static DirectiveValueCheck Index { get; } = (d, scope) =>
    {
        for (var i = 0; i < d.Arguments.Count; i++)
        {
            var v = d.Arg(i);
            if (v.StartsWith('/') && i != d.Arguments.Count - 1)
            {
                scope.Warn(d, "only the last index in \"index\" directive should be absolute");
            }

            if (v.Length == 0)
            {
                scope.Emerg(d, $"index \"{d.Arg(0)}\" in \"index\" directive is invalid");
                return;
            }
        }
    };

    /// <summary><c>add_header NAME VALUE [always]</c>.</summary>
    public static DirectiveValueCheck AddHeader { get; } = (d, scope) =>
    {
        if (d.Arguments.Count == 3 && d.Arg(2) != "always")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(2)}\"");
        }
    };

    /// <summary><c>directio SIZE|off</c>.</summary>
    public static DirectiveValueCheck Directio { get; } = (d, scope) =>
    {
        if (d.Arg(0) != "off" && !NginxValue.TryParseSize(d.Arg(0), out _))
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary><c>open_file_cache max=N [inactive=TIME] | off</c>.</summary>
    public static DirectiveValueCheck OpenFileCache { get; } = (d, scope) =>
    {
        long max = 0;
        var off = false;
        foreach (var a in d.Arguments.Select(a => a.Value))
        {
            var ok = a.StartsWith("max=", StringComparison.Ordinal) ? NginxValue.TryParseDigits(a.AsSpan(4), out max)
                : a.StartsWith("inactive=", StringComparison.Ordinal) ? NginxValue.ParseTime(a[9..], isSec: true, out _) != NginxValue.TimeResult.Invalid
                : a == "off" && (off = true);
            if (!ok)
            {
                scope.Emerg(d, $"invalid \"open_file_cache\" parameter \"{a}\"");
                return;
            }
        }

        if (!off && max == 0)
        {
            scope.Emerg(d, "\"open_file_cache\" must have the \"max\" parameter");
        }
    };

    /// <summary><c>access_log PATH [FORMAT [buffer=SIZE] [gzip[=LEVEL]] [flush=TIME] [if=COND]]</c> or <c>off</c> (ngx_http_log_set_log).</summary>
    public static DirectiveValueCheck AccessLog { get; } = (d, scope) =>
    {
        if (d.Arg(0) == "off")
        {
            if (d.Arguments.Count > 1)
            {
                scope.Emerg(d, $"invalid parameter \"{d.Arg(1)}\"");
            }

            return;
        }

        long buffer = 0;
        var flush = false;
        foreach (var a in d.Arguments.Skip(2).Select(a => a.Value))
        {
            if (a.StartsWith("buffer=", StringComparison.Ordinal))
            {
                if (!NginxValue.TryParseSize(a[7..], out buffer, allowGiga: false) || buffer == 0)
                {
                    scope.Emerg(d, $"invalid buffer size \"{a[7..]}\"");
                    return;
                }
            }
            else if (a.StartsWith("flush=", StringComparison.Ordinal))
            {
                if (NginxValue.ParseTime(a[6..], isSec: false, out var ms) == NginxValue.TimeResult.Invalid || ms == 0)
                {
                    scope.Emerg(d, $"invalid flush time \"{a[6..]}\"");
                    return;
                }

                flush = true;
            }
            else if (a.StartsWith("gzip", StringComparison.Ordinal) && (a.Length == 4 || a[4] == '='))
            {
                if (a.Length > 4 && !(NginxValue.TryParseDigits(a.AsSpan(5), out var level) && level is >= 1 and <= 9))
                {
                    scope.Emerg(d, $"invalid compression level \"{a[5..]}\"");
                    return;
                }
            }
            else if (!a.StartsWith("if=", StringComparison.Ordinal))
            {
                scope.Emerg(d, $"invalid parameter \"{a}\"");
                return;
            }
        }

        if (flush && buffer == 0)
        {
            scope.Emerg(d, $"no buffer is defined for access_log \"{d.Arg(0)}\"");
        }
    };

    /// <summary><c>root</c> and <c>alias</c> (ngx_http_core_root): no alias in a named location, no path variables.</summary>
    public static DirectiveValueCheck Root { get; } = (d, scope) =>
    {
        if (d.Name == "alias" && d.Parent is { Name: "location" } location && location.Arguments.Count == 1 && location.Arg(0).StartsWith('@'))
        {
            scope.Emerg(d, "the \"alias\" directive cannot be used inside the named location");
            return;
        }

        foreach (var variable in new[] { "document_root", "realpath_root" })
        {
            var v = d.Arg(0);
            if (v.Contains($"${variable}", StringComparison.Ordinal) || v.Contains($"${{{variable}}}", StringComparison.Ordinal))
            {
                scope.Emerg(d, $"the ${variable} variable cannot be used in the \"{d.Name}\" directive");
                return;
            }
        }
    };

    /// <summary><c>try_files FILE… =CODE</c>: the code is a number up to 999 (ngx_http_core_try_files).</summary>
    public static DirectiveValueCheck TryFiles { get; } = (d, scope) =>
    {
        var last = d.Arg(d.Arguments.Count - 1);
        if (last.StartsWith('=') && !(NginxValue.TryParseDigits(last.AsSpan(1), out var code) && code <= 999))
        {
            scope.Emerg(d, $"invalid code \"{last}\"");
        }
    };

    /// <summary><c>set $VARIABLE VALUE</c> (ngx_http_rewrite_set).</summary>
    public static DirectiveValueCheck Set { get; } = (d, scope) =>
    {
        if (!d.Arg(0).StartsWith('$'))
        {
            scope.Emerg(d, $"invalid variable name \"{d.Arg(0)}\"");
        }
    };

    /// <summary><c>log_format NAME [escape=default|json|none] STRING…</c>.</summary>
    public static DirectiveValueCheck LogFormat { get; } = (d, scope) =>
    {
        if (d.Arguments.Count > 1 && d.Arg(1).StartsWith("escape=", StringComparison.Ordinal) && d.Arg(1)[7..] is not ("default" or "json" or "none"))
        {
            scope.Emerg(d, $"unknown log format escaping \"{d.Arg(1)[7..]}\"");
        }
    };

    /// <summary><c>gzip_disable REGEX…</c>: caseless regexes; <c>msie6</c> is built in (nginx only looks at the first argument for it).</summary>
    public static DirectiveValueCheck GzipDisable { get; } = (d, scope) =>
    {
        if (d.Arg(0) != "msie6")
        {
            foreach (var a in d.Arguments)
            {
                if (!Compile(d, scope, a.Value, ignoreCase: true))
                {
                    return;
                }
            }
        }
    };

    /// <summary><c>connection_pool_size</c>, <c>request_pool_size</c>: ngx_http_core_pool_size.</summary>
    public static DirectiveValueCheck PoolSize { get; } = (d, scope) =>
    {
        if (!NginxValue.TryParseSize(d.Arg(0), out var size, allowGiga: false))
        {
            InvalidValue(d, scope);
        }
        else if (size < 112)
        {
            scope.Emerg(d, "the pool size must be no less than 112");
        }
        else if (size % 16 != 0)
        {
            scope.Emerg(d, "the pool size must be a multiple of 16");
        }
    };
}
