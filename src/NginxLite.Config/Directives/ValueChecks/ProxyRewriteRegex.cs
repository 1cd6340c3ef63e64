namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>
/// The regex form of the first argument of proxy_redirect, proxy_cookie_path, proxy_cookie_domain and
/// proxy_cookie_flags, read one way by the value check and the compiler: after <c>~</c>, a redirect or path regex is
/// caseless with <c>~*</c> (ngx_http_proxy_redirect / ngx_http_proxy_cookie_path, then ngx_http_proxy_rewrite_regex);
/// a domain or cookie-name regex is always caseless and takes <c>~</c> only (ngx_http_proxy_cookie_domain,
/// ngx_http_proxy_cookie_flags).
/// </summary>
internal static class ProxyRewriteRegex
{
    /// <summary>False when <paramref name="from"/> is not a regex (no leading <c>~</c>).</summary>
    public static bool TryParse(string directive, string from, out string pattern, out bool ignoreCase)
    {
        if (!from.StartsWith('~'))
        {
            (pattern, ignoreCase) = (from, false);
            return false;
        }

        var alwaysCaseless = directive is "proxy_cookie_domain" or "proxy_cookie_flags";
        var star = !alwaysCaseless && from.StartsWith("~*", StringComparison.Ordinal);
        (pattern, ignoreCase) = (from[(star ? 2 : 1)..], alwaysCaseless || star);
        return true;
    }
}
