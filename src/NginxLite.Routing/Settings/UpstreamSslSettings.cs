using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// The TLS client settings of one location for one upstream module: proxy_ssl_* (<c>proxy_pass https://…</c>) or
/// uwsgi_ssl_* (<c>uwsgi_pass suwsgi://…</c>). nginx gives both modules the same directive set, the same defaults and
/// the same checks (ngx_http_proxy_set_ssl, ngx_http_uwsgi_set_ssl); only the prefix of the names differs, and it is
/// kept here so messages name the module's own directives. Defaults are nginx 1.22's: no SNI, no verification,
/// depth 1, session reuse on.
/// </summary>
public sealed record UpstreamSslSettings
{
    /// <summary>proxy_ssl_* unset.</summary>
    public static readonly UpstreamSslSettings Proxy = new("proxy");

    /// <summary>uwsgi_ssl_* unset.</summary>
    public static readonly UpstreamSslSettings Uwsgi = new("uwsgi");

    private UpstreamSslSettings(string module) => Module = module;

    /// <summary>The directives' prefix without "_ssl_" ("proxy", "uwsgi"), for messages such as
    /// <c>no uwsgi_ssl_trusted_certificate for uwsgi_ssl_verify</c>.</summary>
    public string Module { get; }

    /// <summary><c>*_ssl_server_name</c>: send the name in SNI (default off).</summary>
    public bool ServerName { get; init; }

    /// <summary><c>*_ssl_name</c>: the name checked and sent in SNI; null = the upstream's host (<c>$proxy_host</c> for
    /// proxy_pass, the host of uwsgi_pass), its port cut (ngx_http_upstream_ssl_name).</summary>
    public ComplexValue? Name { get; init; }

    /// <summary><c>*_ssl_verify</c> (default off).</summary>
    public bool Verify { get; init; }

    /// <summary><c>*_ssl_verify_depth</c> (default 1: the leaf signed directly by a trusted CA).</summary>
    public int VerifyDepth { get; init; } = 1;

    /// <summary><c>*_ssl_trusted_certificate</c>: a PEM file of CA certificates (absolute, prefix resolved).</summary>
    public string? TrustedCertificate { get; init; }

    /// <summary><c>*_ssl_certificate</c> and <c>*_ssl_certificate_key</c>: the client certificate (PEM).</summary>
    public string? Certificate { get; init; }

    public string? CertificateKey { get; init; }

    /// <summary><c>*_ssl_protocols</c> as written (null = TLSv1.2 TLSv1.3, nginx's default since 1.23.4).</summary>
    public string[]? Protocols { get; init; }

    /// <summary><c>*_ssl_session_reuse</c> (default on).</summary>
    public bool SessionReuse { get; init; } = true;

    /// <summary>A directive's full name in this module: <c>Directive("verify")</c> = <c>uwsgi_ssl_verify</c>.</summary>
    public string Directive(string suffix) => Module + "_ssl_" + suffix;
}
