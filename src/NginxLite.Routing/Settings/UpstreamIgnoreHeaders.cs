namespace NginxLite.Routing.Settings;

/// <summary><c>proxy_ignore_headers</c> / <c>fastcgi_ignore_headers</c> / <c>uwsgi_ignore_headers</c>: upstream
/// response headers whose special meaning is not acted on (ngx_http_upstream_ignore_headers_masks).</summary>
[Flags]
public enum UpstreamIgnoreHeaders
{
    None = 0,
    XAccelRedirect = 1,
    XAccelExpires = 2,
    XAccelLimitRate = 4,
    XAccelBuffering = 8,
    XAccelCharset = 16,
    Expires = 32,
    CacheControl = 64,
    SetCookie = 128,
    Vary = 256,
}
