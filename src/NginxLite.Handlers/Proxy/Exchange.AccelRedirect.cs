using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Protocols.Http1;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Proxy;

/// <summary>
/// <c>X-Accel-Redirect</c> (ngx_http_upstream_process_headers): unless <c>proxy_ignore_headers X-Accel-Redirect</c>,
/// an upstream response carrying it is not relayed: the request is redirected internally to that URI (or named
/// location), as a GET unless it is HEAD, keeping only the headers nginx marks for redirects. The upstream
/// connection is closed (nginx finalizes it without reading the body).
/// </summary>
internal sealed partial class Exchange
{
    // The headers of ngx_http_upstream_headers_in with "redirect" set (nginx's tests/proxy_xar.t checks them).
    // Accept-Ranges is also among them but is left to the file sender, which sets its own.
    private static readonly string[] RedirectHeaders = ["Content-Type", "Set-Cookie", "Content-Disposition", "Cache-Control", "Expires"];

    private HandlerResult? AccelRedirect(HttpResponseHead response)
    {
        if ((settings.IgnoreHeaders & UpstreamIgnoreHeaders.XAccelRedirect) != 0 || response.Get("X-Accel-Redirect") is not { Length: > 0 } target)
        {
            return null;
        }

        var headers = request.Features.Get<IHttpResponseFeature>()!.Headers;
        foreach (var (name, value) in response.Headers)
        {
            foreach (var kept in RedirectHeaders)
            {
                if (name.Equals(kept, StringComparison.OrdinalIgnoreCase))
                {
                    // ngx_http_upstream_rewrite_set_cookie: proxy_cookie_* apply to a kept Set-Cookie too.
                    var v = kept == "Set-Cookie" && settings.RewritesCookies ? SetCookieRewriter.Rewrite(value, request, settings) ?? value : value;
                    headers.Append(kept, v);
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

    private static bool IsUnsafe(string path) =>
        path.Contains('\0', StringComparison.Ordinal)
        || path == ".." || path.StartsWith("../", StringComparison.Ordinal)
        || path.Contains("/../", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal);
}
