namespace NginxLite.Routing.Settings;

/// <summary>
/// The response headers an upstream module does not pass to the client, as ngx_http_upstream_hide_headers_hash builds
/// them once per location: the module's defaults plus <c>*_hide_header</c>, minus <c>*_pass_header</c>. Built once per
/// settings object (at first use, then kept), so a response header costs one set lookup.
/// </summary>
public sealed class HiddenHeaders
{
    /// <summary>nginx's ngx_http_proxy_hide_headers.</summary>
    internal static readonly string[] ProxyDefaults =
        ["Date", "Server", "X-Pad", "X-Accel-Expires", "X-Accel-Redirect", "X-Accel-Limit-Rate", "X-Accel-Buffering", "X-Accel-Charset"];

    /// <summary>ngx_http_fastcgi_hide_headers / ngx_http_uwsgi_hide_headers: the proxy's list plus Status.</summary>
    internal static readonly string[] CgiDefaults = ["Status", .. ProxyDefaults];

    private readonly HashSet<string> _names;

    internal HiddenHeaders(string[] defaults, string[] hide, string[] pass)
    {
        _names = new HashSet<string>(defaults, StringComparer.OrdinalIgnoreCase);
        _names.UnionWith(hide);
        _names.ExceptWith(pass);
    }

    public bool Contains(string name) => _names.Contains(name);
}
