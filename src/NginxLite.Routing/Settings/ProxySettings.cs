using NginxLite.Routing.Upstreams;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// The proxy_* directives of one location, merged http → server → location. Shared between levels until a level sets
/// one of them: the compiler then works on a <see cref="Clone"/> (copy on write), so a parent never sees a child's.
/// Defaults are nginx 1.22's (ngx_http_proxy_merge_loc_conf).
/// </summary>
public sealed class ProxySettings
{
    public static readonly ProxySettings Default = new();

    /// <summary>The location's <c>proxy_pass</c> (only meaningful where <see cref="LocationSettings.Upstream"/> is proxy_pass).</summary>
    public ProxyPass? Pass { get; internal set; }

    /// <summary><c>proxy_set_header</c> of the nearest level that has any, in file order; nginx's defaults
    /// (Host $proxy_host, Connection close) are added by the handler for names not listed here.</summary>
    public ProxyHeader[] SetHeaders { get; internal set; } = [];

    /// <summary>10 (default) or 11.</summary>
    public int HttpVersion { get; internal set; } = 10;

    public bool PassRequestHeaders { get; internal set; } = true;

    public bool PassRequestBody { get; internal set; } = true;

    public ComplexValue? SetBody { get; internal set; }

    public ComplexValue? Method { get; internal set; }

    /// <summary><c>proxy_hide_header</c> and <c>proxy_pass_header</c> (each of the nearest level that has any) and the
    /// headers they keep from the client with nginx's defaults.</summary>
    public HiddenHeaders Hidden { get; internal set; } = HiddenHeaders.Proxy;

    /// <summary><c>proxy_redirect</c>: null = <c>default</c> (never set); empty = <c>off</c>.</summary>
    public ProxyRedirect[]? Redirects { get; internal set; }

    /// <summary><c>proxy_cookie_domain</c> of the nearest level that has any; empty = none or <c>off</c>.</summary>
    public ProxyCookieRewrite[] CookieDomains { get; internal set; } = [];

    /// <summary><c>proxy_cookie_path</c> of the nearest level that has any; empty = none or <c>off</c>.</summary>
    public ProxyCookieRewrite[] CookiePaths { get; internal set; } = [];

    /// <summary><c>proxy_cookie_flags</c> of the nearest level that has any; empty = none or <c>off</c>.</summary>
    public ProxyCookieFlags[] CookieFlags { get; internal set; } = [];

    /// <summary>True when Set-Cookie headers from the upstream are parsed and rewritten (nginx sets
    /// u->rewrite_cookie only then).</summary>
    public bool RewritesCookies => CookieDomains.Length > 0 || CookiePaths.Length > 0 || CookieFlags.Length > 0;

    public bool InterceptErrors { get; internal set; }

    public bool Buffering { get; internal set; } = true;

    public bool RequestBuffering { get; internal set; } = true;

    public TimeSpan ConnectTimeout { get; internal set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ReadTimeout { get; internal set; } = TimeSpan.FromSeconds(60);

    public TimeSpan SendTimeout { get; internal set; } = TimeSpan.FromSeconds(60);

    public NextUpstream NextUpstream { get; internal set; } = NextUpstream.Error | NextUpstream.Timeout;

    /// <summary><c>proxy_next_upstream_tries</c>: 0 = as many as there are peers.</summary>
    public int NextUpstreamTries { get; internal set; }

    /// <summary><c>proxy_next_upstream_timeout</c>: zero = no limit.</summary>
    public TimeSpan NextUpstreamTimeout { get; internal set; }

    /// <summary><c>proxy_buffer_size</c>: the largest response head accepted (nginx: one page, 4k).</summary>
    public int BufferSize { get; internal set; } = 4096;

    /// <summary><c>proxy_ignore_headers</c> (e.g. X-Accel-Redirect: then passed to the client as a plain header is not:
    /// it stays hidden, but no internal redirect happens).</summary>
    public UpstreamIgnoreHeaders IgnoreHeaders { get; internal set; }

    /// <summary>proxy_ssl_*: how an <c>https://</c> upstream is spoken to.</summary>
    public UpstreamSslSettings Ssl { get; internal set; } = UpstreamSslSettings.Proxy;

    internal ProxySettings Clone() => (ProxySettings)MemberwiseClone();
}

/// <summary>One <c>proxy_set_header name value</c>; an empty value removes the header.</summary>
public sealed record ProxyHeader(string Name, ComplexValue Value);

/// <summary>One <c>proxy_redirect</c> rule: <c>default</c>, a prefix (may hold variables) or a regex, and its replacement.</summary>
public sealed record ProxyRedirect(bool IsDefault, ComplexValue? Prefix, CompiledRegex? Regex, ComplexValue Replacement);

/// <summary><c>proxy_next_upstream</c> conditions.</summary>
[Flags]
public enum NextUpstream
{
    None = 0,
    Error = 1,
    Timeout = 2,
    InvalidHeader = 4,
    Http500 = 8,
    Http502 = 16,
    Http503 = 32,
    Http504 = 64,
    Http403 = 128,
    Http404 = 256,
    Http429 = 512,
    NonIdempotent = 1024,
}
