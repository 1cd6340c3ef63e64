namespace NginxLite.Routing.Settings;

/// <summary>
/// The uwsgi_* directives of one location, merged http → server → location. Shared between levels until a level sets
/// one of them: the compiler then works on a <see cref="Clone"/> (copy on write), so a parent never sees a child's.
/// </summary>
public sealed class UwsgiSettings : CgiUpstreamSettings
{
    public static readonly UwsgiSettings Default = new();

    /// <summary><c>uwsgi_modifier1</c>: 0 = WSGI.</summary>
    public byte Modifier1 { get; internal set; }

    public byte Modifier2 { get; internal set; }

    /// <summary>app_pass: the largest vars block the pool's workers take, its <c>buffer_size</c> (uWSGI's buffer-size,
    /// 4k by default), set when the location is compiled. A bigger one is answered 502 by app_pass without being sent
    /// (docs/apps.md, "What app_pass sends"). uwsgi_pass: 65535, the uwsgi packet's own limit (nginx knows no other).</summary>
    public int MaxVarsBlock { get; internal set; } = ushort.MaxValue;

    /// <summary><c>uwsgi_pass suwsgi://…</c>: the uwsgi protocol spoken over TLS (ngx_http_uwsgi_module); a target
    /// made of variables may still name the scheme per request (<see cref="UwsgiTarget"/>).</summary>
    public bool Tls { get; internal set; }

    /// <summary>uwsgi_ssl_*: how a <c>suwsgi://</c> upstream is spoken to (the same settings as proxy_ssl_*).</summary>
    public UpstreamSslSettings Ssl { get; internal set; } = UpstreamSslSettings.Uwsgi;

    internal UwsgiSettings Clone() => (UwsgiSettings)MemberwiseClone();
}
