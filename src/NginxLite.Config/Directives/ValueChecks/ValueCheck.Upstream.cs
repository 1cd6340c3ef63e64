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
        if (OffOrRule(d, scope) && d.Arguments.Count == 2)
        {
            CompileRewriteRegex(d, scope);
        }
    };

    /// <summary><c>proxy_cookie_flags off | cookie|~regex flag…</c> (ngx_http_proxy_cookie_flags): one argument must be
    /// <c>off</c>, with the same off/duplicate rule; the flags are complex values nginx checks only per response.</summary>
    public static DirectiveValueCheck CookieFlags { get; } = (d, scope) =>
    {
        if (OffOrRule(d, scope) && d.Arguments.Count > 1)
        {
            CompileRewriteRegex(d, scope);
        }
    };

    /// <summary>The proxy_cookie_* <c>off</c> rule: false (reported) for an <c>off</c> among siblings or a lone argument
    /// that is not <c>off</c>.</summary>
    private static bool OffOrRule(BoundDirective d, BindScope scope)
    {
        if (OffAmongSiblings(d))
        {
            scope.Emerg(d, Binding.BinderMessages.Duplicate(d.Name));
            return false;
        }

        if (d.Arguments.Count == 1 && d.Arg(0) != "off")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(0)}\"");
            return false;
        }

        return true;
    }

    private static void CompileRewriteRegex(BoundDirective d, BindScope scope)
    {
        if (ProxyRewriteRegex.TryParse(d.Name, d.Arg(0), out var pattern, out var ignoreCase))
        {
            Compile(d, scope, pattern, ignoreCase);
        }
    }

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
