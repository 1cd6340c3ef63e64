using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// Which argument values of an http directive nginx compiles as scripts or complex values (so <c>$name</c> in them
/// is a variable reference). Elsewhere a <c>$</c> is plain text: <c>server_name</c>, <c>listen</c>, regexes …
/// </summary>
internal static class ScriptArguments
{
    // Every argument is a script.
    private static readonly HashSet<string> All = new(StringComparer.Ordinal)
    {
        "return", "try_files", "index", "root", "alias", "auth_basic", "auth_basic_user_file",
        "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass",
        "proxy_cache_key", "fastcgi_cache_key", "uwsgi_cache_key", "scgi_cache_key",
        "proxy_no_cache", "fastcgi_no_cache", "uwsgi_no_cache", "scgi_no_cache",
        "proxy_cache_bypass", "fastcgi_cache_bypass", "uwsgi_cache_bypass", "scgi_cache_bypass",
        "proxy_set_body", "proxy_method", "proxy_ssl_name",
        "sub_filter", "secure_link", "secure_link_md5", "limit_rate", "limit_rate_after",
        "ssl_certificate", "ssl_certificate_key", "expires", "add_before_body", "add_after_body",
        // Found by asking nginx 1.22.1 which location directives reject an unknown "$zzq" argument.
        "charset", "source_charset", "http2_push",
        "proxy_bind", "fastcgi_bind", "uwsgi_bind", "scgi_bind", "grpc_bind", "memcached_bind",
        "proxy_cache", "fastcgi_cache", "uwsgi_cache", "scgi_cache",
        "proxy_store", "fastcgi_store", "uwsgi_store", "scgi_store",
        "proxy_ssl_certificate", "proxy_ssl_certificate_key", "uwsgi_ssl_certificate", "uwsgi_ssl_certificate_key",
        "uwsgi_ssl_name", "grpc_ssl_certificate", "grpc_ssl_certificate_key", "grpc_ssl_name",
    };

    // Only the second argument (a value after a name or key) is a script.
    private static readonly HashSet<string> Second = new(StringComparer.Ordinal)
    {
        "set", "rewrite", "add_header", "add_trailer", "proxy_set_header", "fastcgi_param", "uwsgi_param",
        "scgi_param", "grpc_set_header", "auth_request_set", "proxy_redirect",
    };

    // Only the first argument (a key or source) is a script.
    private static readonly HashSet<string> First = new(StringComparer.Ordinal)
    {
        "map", "split_clients", "limit_req_zone", "limit_conn_zone",
    };

    /// <summary>The script values of <paramref name="directive"/>; <c>if</c> is read by <see cref="IfCondition"/> instead.</summary>
    public static IEnumerable<string> Of(BoundDirective directive)
    {
        var args = directive.Arguments;
        switch (directive.Parent?.Name)
        {
            // A map line "key value;": the value is a complex value. Lines of other data blocks hold no scripts.
            case "map":
                return args.Count == 1 ? [args[0].Value] : [];
            case "geo" or "types" or "split_clients" or "charset_map" or "match":
                return [];
        }

        var name = directive.Name;
        if (All.Contains(name))
        {
            return args.Select(a => a.Value);
        }

        if (Second.Contains(name))
        {
            return args.Count > 1 ? [args[1].Value] : [];
        }

        if (First.Contains(name))
        {
            return args.Count > 0 ? [args[0].Value] : [];
        }

        return name switch
        {
            // geo [$address] $variable
            "geo" when args.Count == 2 => [args[0].Value],
            "error_page" when args.Count > 1 => [args[^1].Value],
            // proxy_cookie_domain|path FROM TO, proxy_cookie_flags COOKIE FLAG…: FROM/COOKIE is a regex after "~".
            "proxy_cookie_domain" or "proxy_cookie_path" or "proxy_cookie_flags" => args.Select(a => a.Value)
                .Where((v, i) => i > 0 || !v.StartsWith('~')),
            "access_log" when args.Count > 0 => AccessLog(args.Select(a => a.Value).ToArray()),
            "log_format" when args.Count > 1 => args.Skip(1).Select(a => a.Value)
                .Where(v => !v.StartsWith("escape=", StringComparison.Ordinal)),
            _ => [],
        };
    }

    private static IEnumerable<string> AccessLog(string[] args)
    {
        yield return args[0];
        foreach (var a in args.Skip(1).Where(a => a.StartsWith("if=", StringComparison.Ordinal)))
        {
            yield return a[3..];
        }
    }
}
