using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// <c>X-Accel-Redirect</c> (ngx_http_upstream_process_headers), one implementation for proxy_pass, fastcgi_pass,
/// uwsgi_pass (and app_pass, which speaks uwsgi): unless <c>*_ignore_headers X-Accel-Redirect</c>, an upstream response
/// carrying it is not relayed: the request is redirected internally to that URI (or named location), as a GET unless
/// it is HEAD, keeping only the headers nginx marks for redirects. The caller closes the upstream connection (nginx
/// finalizes it without reading the body).
/// </summary>
internal static class AccelRedirect
{
    // The headers of ngx_http_upstream_headers_in with "redirect" set (nginx's tests/proxy_xar.t checks them).
    // Accept-Ranges is also among them but is left to the file sender, which sets its own.
    private static readonly string[] RedirectHeaders = ["Content-Type", "Set-Cookie", "Content-Disposition", "Cache-Control", "Expires"];

    /// <summary>The redirect to follow, or null when the response is to be relayed. <paramref name="setCookie"/>
    /// rewrites a kept Set-Cookie (proxy_cookie_*, through ngx_http_upstream_rewrite_set_cookie).</summary>
    public static HandlerResult? Follow(
        IUpstreamRequest request, UpstreamIgnoreHeaders ignore, List<KeyValuePair<string, string>> upstreamHeaders, Func<string, string>? setCookie = null)
    {
        if ((ignore & UpstreamIgnoreHeaders.XAccelRedirect) != 0 || Target(upstreamHeaders) is not { Length: > 0 } target)
        {
            return null;
        }

        var headers = request.Features.Get<IHttpResponseFeature>()!.Headers;
        foreach (var (name, value) in upstreamHeaders)
        {
            foreach (var kept in RedirectHeaders)
            {
                if (name.Equals(kept, StringComparison.OrdinalIgnoreCase))
                {
                    headers.Append(kept, kept == "Set-Cookie" && setCookie is not null ? setCookie(value) : value);
                }
            }
        }

        if (target.StartsWith('@'))
        {
            return HandlerResult.Redirect(target);
        }

        // ngx_http_parse_unsafe_uri: the path is unescaped, the args kept as sent; ".." segments or a NUL are refused
        // with 404.
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = q >= 0 ? target[..q] : target;
        var args = q >= 0 ? target[q..] : "";
        if (path.Contains('%', StringComparison.Ordinal))
        {
            path = Uri.UnescapeDataString(path);
        }

        if (IsUnsafe(path))
        {
            request.Log(Routing.ErrorLevel.Error, $"unsafe URI \"{path}\" was detected");
            return HandlerResult.Error(404);
        }

        return HandlerResult.Redirect(path + args);
    }

    private static string? Target(List<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (name.Equals("X-Accel-Redirect", StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private static bool IsUnsafe(string path) =>
        path.Contains('\0', StringComparison.Ordinal)
        || path == ".." || path.StartsWith("../", StringComparison.Ordinal)
        || path.Contains("/../", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal);
}
