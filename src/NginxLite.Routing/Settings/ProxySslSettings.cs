using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// The proxy_ssl_* directives of one location (ngx_http_proxy_module, "proxy_ssl_…"), used when proxy_pass names an
/// <c>https://</c> URL. Defaults are nginx 1.22's: no SNI, no verification, depth 1, session reuse on.
/// </summary>
public sealed record ProxySslSettings
{
    public static readonly ProxySslSettings Default = new();

    /// <summary><c>proxy_ssl_server_name</c>: send the name in SNI (default off).</summary>
    public bool ServerName { get; init; }

    /// <summary><c>proxy_ssl_name</c>: the name checked and sent in SNI; null = <c>$proxy_host</c> (its port cut).</summary>
    public ComplexValue? Name { get; init; }

    /// <summary><c>proxy_ssl_verify</c> (default off).</summary>
    public bool Verify { get; init; }

    /// <summary><c>proxy_ssl_verify_depth</c> (default 1: the leaf signed directly by a trusted CA).</summary>
    public int VerifyDepth { get; init; } = 1;

    /// <summary><c>proxy_ssl_trusted_certificate</c>: a PEM file of CA certificates (absolute, prefix resolved).</summary>
    public string? TrustedCertificate { get; init; }

    /// <summary><c>proxy_ssl_certificate</c> and <c>proxy_ssl_certificate_key</c>: the client certificate (PEM).</summary>
    public string? Certificate { get; init; }

    public string? CertificateKey { get; init; }

    /// <summary><c>proxy_ssl_protocols</c> as written (null = TLSv1.2 TLSv1.3, nginx's default since 1.23.4).</summary>
    public string[]? Protocols { get; init; }

    /// <summary><c>proxy_ssl_session_reuse</c> (default on).</summary>
    public bool SessionReuse { get; init; } = true;
}
