using System.Security.Authentication;

namespace NginxLite.Server.Tls;

/// <summary>
/// ssl_protocols (ngx_http_ssl_module: SSLv2 SSLv3 TLSv1 TLSv1.1 TLSv1.2 TLSv1.3) as <see cref="SslProtocols"/>.
/// SSLv2/SSLv3 are not offered by .NET's OpenSSL backend at all and are dropped; TLSv1/TLSv1.1 are passed on, but
/// OpenSSL 3's default security level may still refuse them (docs/config-frontend.md).
/// </summary>
public static class TlsProtocols
{
    // The numeric values of SslProtocols.Tls / Tls11 (obsolete members, SYSLIB0039: named here without the warning).
    private const SslProtocols Tls10 = (SslProtocols)0xC0;
    private const SslProtocols Tls11 = (SslProtocols)0x300;

    public static SslProtocols Map(IEnumerable<string> names)
    {
        var result = SslProtocols.None;
        foreach (var name in names)
        {
            result |= name switch
            {
                "TLSv1" => Tls10,
                "TLSv1.1" => Tls11,
                "TLSv1.2" => SslProtocols.Tls12,
                "TLSv1.3" => SslProtocols.Tls13,
                _ => SslProtocols.None,
            };
        }

        // Only SSLv2/SSLv3 written: nothing .NET can offer; TLSv1.2 rather than "the OS default" (None).
        return result == SslProtocols.None ? SslProtocols.Tls12 : result;
    }
}
