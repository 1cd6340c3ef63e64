namespace NginxLite.Routing.Settings;

/// <summary>
/// <c>*_hide_header</c> and <c>*_pass_header</c> of one level, and the response headers they keep from the client, as
/// ngx_http_upstream_hide_headers_hash builds them once per location: the module's defaults plus the hidden ones,
/// minus the passed ones. Immutable and built by the compiler, so a response header costs one set lookup; proxy_*,
/// fastcgi_* and uwsgi_* share it (each module's settings hold one, starting from <see cref="Proxy"/> or
/// <see cref="Cgi"/>).
/// </summary>
public sealed class HiddenHeaders
{
    /// <summary>nginx's ngx_http_proxy_hide_headers.</summary>
    private static readonly string[] ProxyDefaults =
        ["Date", "Server", "X-Pad", "X-Accel-Expires", "X-Accel-Redirect", "X-Accel-Limit-Rate", "X-Accel-Buffering", "X-Accel-Charset"];

    /// <summary>proxy_* with no hide_header or pass_header.</summary>
    public static readonly HiddenHeaders Proxy = new(ProxyDefaults, [], []);

    /// <summary>fastcgi_* / uwsgi_* with none: ngx_http_fastcgi_hide_headers / ngx_http_uwsgi_hide_headers, the proxy's
    /// list plus Status.</summary>
    public static readonly HiddenHeaders Cgi = new(["Status", .. ProxyDefaults], [], []);

    private readonly string[] _defaults;
    private readonly HashSet<string> _names;

    private HiddenHeaders(string[] defaults, string[] hide, string[] pass)
    {
        _defaults = defaults;
        Hide = hide;
        Pass = pass;
        _names = new HashSet<string>(defaults, StringComparer.OrdinalIgnoreCase);
        _names.UnionWith(hide);
        _names.ExceptWith(pass);
    }

    /// <summary><c>*_hide_header</c> of the nearest level that has any (added to the defaults).</summary>
    public string[] Hide { get; }

    /// <summary><c>*_pass_header</c> of the nearest level that has any (taken out of the hidden set).</summary>
    public string[] Pass { get; }

    public bool Contains(string name) => _names.Contains(name);

    /// <summary>One more <c>*_hide_header</c>; the level's <paramref name="first"/> one replaces the inherited list
    /// (nginx's array merge).</summary>
    internal HiddenHeaders WithHide(string name, bool first) => new(_defaults, [.. first ? [] : Hide, name], Pass);

    /// <summary>One more <c>*_pass_header</c>, with the same rule.</summary>
    internal HiddenHeaders WithPass(string name, bool first) => new(_defaults, Hide, [.. first ? [] : Pass, name]);
}
