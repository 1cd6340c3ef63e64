using NginxLite.Routing.Settings;

namespace NginxLite.Routing.Tests;

/// <summary>proxy_ssl_* and proxy_ignore_headers compiled into ProxySettings: nginx's defaults, inheritance from the
/// server level, certificate paths resolved against the conf prefix, the bitmask rule of proxy_ignore_headers.</summary>
public class ProxySslSettingsTests
{
    private static LocationSettings[] Locations(string http) =>
        [.. RouteFixture.Compile(http).Listeners[0].Servers.Default.Locations.Locations.Select(l => l.Settings)];

    private const string Config = """
        server {
            listen 127.0.0.1:8080;
            proxy_ssl_trusted_certificate /etc/ssl/ca.pem;
            proxy_ignore_headers X-Accel-Expires;
            location /a { proxy_pass https://backend; }
            location /b {
                proxy_pass https://backend;
                proxy_ssl_verify on; proxy_ssl_verify_depth 3; proxy_ssl_server_name on; proxy_ssl_name $host;
                proxy_ssl_certificate certs/client.pem; proxy_ssl_certificate_key /k/client.key;
                proxy_ssl_protocols TLSv1.2 TLSv1.3; proxy_ssl_session_reuse off;
                proxy_ignore_headers X-Accel-Redirect;
                proxy_ignore_headers Set-Cookie Vary;
            }
        }
        """;

    [Fact]
    public void ProxySsl_Unset_NginxDefaultsAndServerLevelInherited()
    {
        var a = Locations(Config)[0].Proxy;
        Assert.False(a.Ssl.ServerName);
        Assert.False(a.Ssl.Verify);
        Assert.Equal(1, a.Ssl.VerifyDepth);
        Assert.True(a.Ssl.SessionReuse);
        Assert.Null(a.Ssl.Name);
        Assert.Null(a.Ssl.Protocols);
        Assert.Equal("/etc/ssl/ca.pem", a.Ssl.TrustedCertificate);
        Assert.Equal(UpstreamIgnoreHeaders.XAccelExpires, a.IgnoreHeaders);
    }

    [Fact]
    public void ProxySsl_SetInLocation_AllFieldsAndRelativePathUnderConfPrefix()
    {
        var b = Locations(Config)[1].Proxy;
        Assert.True(b.Ssl.Verify);
        Assert.True(b.Ssl.ServerName);
        Assert.False(b.Ssl.SessionReuse);
        Assert.Equal(3, b.Ssl.VerifyDepth);
        Assert.NotNull(b.Ssl.Name);
        Assert.Equal(["TLSv1.2", "TLSv1.3"], b.Ssl.Protocols!);
        Assert.Equal("/etc/ssl/ca.pem", b.Ssl.TrustedCertificate);
        Assert.True(Path.IsPathRooted(b.Ssl.Certificate));
        Assert.EndsWith("/certs/client.pem", b.Ssl.Certificate, StringComparison.Ordinal);
        Assert.Equal("/k/client.key", b.Ssl.CertificateKey);
    }

    [Fact]
    public void ProxyIgnoreHeaders_LinesOfOneLevelAddUp_ParentsValueReplaced()
    {
        var b = Locations(Config)[1].Proxy;
        Assert.Equal(UpstreamIgnoreHeaders.XAccelRedirect | UpstreamIgnoreHeaders.SetCookie | UpstreamIgnoreHeaders.Vary, b.IgnoreHeaders);
    }
}
