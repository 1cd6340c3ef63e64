using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>Checks of the proxy, fastcgi, uwsgi and scgi setters.</summary>
public static partial class ValueCheck
{
    /// <summary><c>fastcgi_param NAME VALUE [if_not_empty]</c> and its uwsgi/scgi twins.</summary>
    public static DirectiveValueCheck Param { get; } = (d, scope) =>
    {
        if (d.Arguments.Count == 3 && d.Arg(2) != "if_not_empty")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(2)}\"");
        }
    };

    /// <summary><c>proxy_cookie_domain|path off</c> or two arguments (ngx_http_proxy_cookie_domain/path); as with
    /// proxy_redirect, nothing may follow <c>off</c> and <c>off</c> may follow nothing in one block.</summary>
    public static DirectiveValueCheck CookieRewrite { get; } = (d, scope) =>
    {
        if (OffAmongSiblings(d))
        {
            scope.Emerg(d, Binding.BinderMessages.Duplicate(d.Name));
            return;
        }

        if (d.Arguments.Count == 1 && d.Arg(0) != "off")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(0)}\"");
            return;
        }

        // ngx_http_proxy_rewrite_regex: "~*" is caseless for a path; a domain regex is always caseless and "~" only.
        var from = d.Arg(0);
        if (d.Arguments.Count == 2 && from.StartsWith('~'))
        {
            var star = d.Name != "proxy_cookie_domain" && from.StartsWith("~*", StringComparison.Ordinal);
            Compile(d, scope, from[(star ? 2 : 1)..], ignoreCase: star || d.Name == "proxy_cookie_domain");
        }
    };

    /// <summary><c>proxy_cookie_flags off | cookie|~regex flag…</c> (ngx_http_proxy_cookie_flags): one argument must be
    /// <c>off</c>, with the same off/duplicate rule; the flags are complex values nginx checks only per response.</summary>
    public static DirectiveValueCheck CookieFlags { get; } = (d, scope) =>
    {
        if (OffAmongSiblings(d))
        {
            scope.Emerg(d, Binding.BinderMessages.Duplicate(d.Name));
            return;
        }

        if (d.Arguments.Count == 1 && d.Arg(0) != "off")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(0)}\"");
            return;
        }

        if (d.Arguments.Count > 1 && d.Arg(0).StartsWith('~'))
        {
            Compile(d, scope, d.Arg(0)[1..], ignoreCase: true);
        }
    };

    /// <summary>
    /// <c>proxy_redirect default|off|FROM TO</c>: nothing may follow <c>off</c> and <c>off</c> may follow nothing in one block;
    /// <c>default</c> needs an earlier <c>proxy_pass</c> in the same block.
    /// </summary>
    public static DirectiveValueCheck ProxyRedirect { get; } = (d, scope) =>
    {
        var off = d.Arguments.Count == 1 && d.Arg(0) == "off";
        if (OffAmongSiblings(d))
        {
            scope.Emerg(d, Binding.BinderMessages.Duplicate(d.Name));
            return;
        }

        if (d.Arguments.Count != 1 || off)
        {
            return;
        }

        if (d.Arg(0) != "default")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(0)}\"");
        }
        else if (d.Parent is not { } parent || !parent.Children.TakeWhile(c => c != d).Any(c => c.Name == "proxy_pass"))
        {
            scope.Emerg(d, "\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive");
        }
    };

    /// <summary>True when an earlier sibling of the same name said <c>off</c>, or this one says <c>off</c> after any.</summary>
    private static bool OffAmongSiblings(BoundDirective d)
    {
        static bool IsOff(BoundDirective x) => x.Arguments.Count == 1 && x.Arg(0) == "off";
        var earlier = d.Parent?.Children.TakeWhile(c => c != d).Where(c => c.Name == d.Name).ToList() ?? [];
        return earlier.Any(IsOff) || (IsOff(d) && earlier.Count > 0);
    }

    /// <summary><c>proxy_cache_valid [CODE…|any] TIME</c> and its twins (ngx_http_file_cache_valid_set_slot).</summary>
    public static DirectiveValueCheck CacheValid { get; } = (d, scope) =>
    {
        var time = d.Arg(d.Arguments.Count - 1);
        if (NginxValue.ParseTime(time, isSec: true, out _) == NginxValue.TimeResult.Invalid)
        {
            scope.Emerg(d, $"invalid time value \"{time}\"");
            return;
        }

        var bad = d.Arguments.SkipLast(1).Select(a => a.Value)
            .FirstOrDefault(v => v != "any" && !(NginxValue.TryParseDigits(v, out var status) && status is >= 100 and <= 599));
        if (bad is not null)
        {
            scope.Emerg(d, $"invalid status \"{bad}\"");
        }
    };
}
