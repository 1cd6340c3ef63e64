using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Upstream.Tls;

/// <summary>
/// What the proxy_ssl_* or uwsgi_ssl_* settings of one compiled level need at handshake time, loaded once per settings
/// object (a reload compiles new settings, so changed certificate files are read again, as nginx reads them at load time):
/// the trusted CA certificates, the client certificate with its chain, the protocol set. A file that cannot be read
/// leaves <see cref="LoadError"/> set; each request then fails with it (nginx refuses the config instead).
/// </summary>
internal sealed class UpstreamTlsContext
{
    private static readonly ConditionalWeakTable<UpstreamSslSettings, UpstreamTlsContext> Cache = new();

    private UpstreamTlsContext(UpstreamSslSettings settings)
    {
        Settings = settings;
        Protocols = MapProtocols(settings.Protocols);
        try
        {
            if (settings.Verify && settings.TrustedCertificate is null)
            {
                // nginx: [emerg] no proxy_ssl_trusted_certificate for proxy_ssl_verify (ngx_http_proxy_set_ssl; the
                // same words with uwsgi_ in ngx_http_uwsgi_set_ssl).
                LoadError = $"no {settings.Directive("trusted_certificate")} for {settings.Directive("verify")}";
            }

            if (settings.TrustedCertificate is { } trusted)
            {
                TrustedRoots = [];
                TrustedRoots.ImportFromPemFile(trusted);
            }

            if (settings.Certificate is { } cert)
            {
                if (settings.CertificateKey is null)
                {
                    // nginx: [emerg] no "proxy_ssl_certificate_key" is defined for certificate "…".
                    LoadError = $"no \"{settings.Directive("certificate_key")}\" is defined for certificate \"{cert}\"";
                }
                else
                {
                    // The first certificate of the file is the client's; the rest are sent as its chain
                    // (ngx_ssl_certificate: SSL_CTX_add0_chain_cert for each further PEM block).
                    var leaf = X509Certificate2.CreateFromPemFile(cert, settings.CertificateKey);
                    var all = new X509Certificate2Collection();
                    all.ImportFromPemFile(cert);
                    var chain = new X509Certificate2Collection();
                    for (var i = 1; i < all.Count; i++)
                    {
                        chain.Add(all[i]);
                    }

                    ClientCertificate = SslStreamCertificateContext.Create(leaf, chain, offline: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            LoadError = $"cannot load certificate: {e.Message}";
        }
    }

    public UpstreamSslSettings Settings { get; }

    /// <summary>*_ssl_trusted_certificate's CAs: the only trust anchors when *_ssl_verify is on.</summary>
    public X509Certificate2Collection? TrustedRoots { get; }

    /// <summary>*_ssl_certificate + _key, always sent when the upstream asks for a certificate.</summary>
    public SslStreamCertificateContext? ClientCertificate { get; }

    public SslProtocols Protocols { get; }

    public string? LoadError { get; }

    public static UpstreamTlsContext For(UpstreamSslSettings settings) => Cache.GetValue(settings, s => new UpstreamTlsContext(s));

    // *_ssl_protocols → SslProtocols. Unset: TLSv1.2 TLSv1.3, nginx's default since 1.23.4 (1.22's is TLSv1
    // TLSv1.1 TLSv1.2, which would never offer TLS 1.3; OpenSSL 3's security level refuses 1.0/1.1 anyway):
    // docs/upstreams.md lists the difference. SSLv2/SSLv3 have no .NET equivalent and are left out.
    private static SslProtocols MapProtocols(string[]? protocols)
    {
        if (protocols is null)
        {
            return SslProtocols.Tls12 | SslProtocols.Tls13;
        }

        var result = SslProtocols.None;
        foreach (var p in protocols)
        {
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 are obsolete, but a config may still name them.
            result |= p switch
            {
                "TLSv1" => SslProtocols.Tls,
                "TLSv1.1" => SslProtocols.Tls11,
                "TLSv1.2" => SslProtocols.Tls12,
                "TLSv1.3" => SslProtocols.Tls13,
                _ => SslProtocols.None,
            };
#pragma warning restore SYSLIB0039
        }

        return result;
    }
}
