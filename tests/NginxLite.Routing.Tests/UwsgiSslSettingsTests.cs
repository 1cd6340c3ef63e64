using NginxLite.Routing.Settings;

namespace NginxLite.Routing.Tests;

/// <summary>uwsgi_pass suwsgi://… and uwsgi_ssl_* compiled into UwsgiSettings: the scheme cut with TLS on (any case, as
/// ngx_http_uwsgi_pass compares it), plain uwsgi:// and bare addresses left plain, and the uwsgi_ssl_* settings merged
/// http → server → location exactly as their proxy_ssl_* twins (the same UpstreamSslSettings record).</summary>
public class UwsgiSslSettingsTests
{
    private static LocationSettings At(string http, string name) =>
        RouteFixture.Compile(http).Listeners[0].Servers.Default.Locations.Locations.Single(l => l.Name == name).Settings;

    private const string Config = """
        uwsgi_ssl_protocols TLSv1.3;
        server {
            listen 127.0.0.1:8080;
            uwsgi_ssl_trusted_certificate /etc/ssl/ca.pem;
            uwsgi_ssl_verify_depth 2;
            location /tls { uwsgi_pass suwsgi://127.0.0.1:9000; }
            location /upper { uwsgi_pass SUWSGI://backend; }
            location /plain { uwsgi_pass uwsgi://127.0.0.1:9001; }
            location /bare { uwsgi_pass 127.0.0.1:9002; }
            location /set {
                uwsgi_pass suwsgi://backend;
                uwsgi_ssl_verify on; uwsgi_ssl_verify_depth 4; uwsgi_ssl_server_name on; uwsgi_ssl_name app.test;
                uwsgi_ssl_certificate certs/client.pem; uwsgi_ssl_certificate_key /k/client.key;
                uwsgi_ssl_session_reuse off;
                uwsgi_ssl_ciphers HIGH; uwsgi_ssl_crl /etc/ssl/crl.pem;
            }
            location /vars { uwsgi_pass suwsgi://$arg_b; }
            location /var { uwsgi_pass $arg_b; }
        }
        upstream backend { server 127.0.0.1:9003; }
        """;

    [Fact]
    public void UwsgiPass_SuwsgiScheme_CutWithTlsOn()
    {
        var tls = At(Config, "/tls");
        Assert.True(tls.Uwsgi.Tls);
        Assert.Equal("127.0.0.1:9000", tls.Uwsgi.Pass!.Source);
        Assert.Equal("127.0.0.1:9000", tls.Upstream!.Target);
        var upper = At(Config, "/upper");
        Assert.True(upper.Uwsgi.Tls);
        Assert.Equal("backend", upper.Upstream!.Target);
    }

    [Fact]
    public void UwsgiPass_UwsgiSchemeOrBareAddress_Plain()
    {
        var plain = At(Config, "/plain");
        Assert.False(plain.Uwsgi.Tls);
        Assert.Equal("127.0.0.1:9001", plain.Upstream!.Target);
        var bare = At(Config, "/bare");
        Assert.False(bare.Uwsgi.Tls);
        Assert.Equal("127.0.0.1:9002", bare.Upstream!.Target);
    }

    [Fact]
    public void UwsgiPass_VariablesAfterSuwsgiScheme_TlsOnAndSchemeCut()
    {
        var vars = At(Config, "/vars");
        Assert.True(vars.Uwsgi.Tls);
        Assert.Equal("$arg_b", vars.Upstream!.Target);
        // Only variables: the scheme, if any, is in the value, cut per request (UwsgiTarget).
        var only = At(Config, "/var");
        Assert.False(only.Uwsgi.Tls);
        Assert.False(only.Uwsgi.Pass!.IsLiteral);
    }

    [Fact]
    public void UwsgiSsl_Unset_NginxDefaultsAndParentLevelsInherited()
    {
        var ssl = At(Config, "/tls").Uwsgi.Ssl;
        Assert.Equal("uwsgi", ssl.Module);
        Assert.False(ssl.ServerName);
        Assert.False(ssl.Verify);
        Assert.True(ssl.SessionReuse);
        Assert.Null(ssl.Name);
        Assert.Null(ssl.Certificate);
        Assert.Equal(2, ssl.VerifyDepth);
        Assert.Equal("/etc/ssl/ca.pem", ssl.TrustedCertificate);
        Assert.Equal(["TLSv1.3"], ssl.Protocols!);
    }

    [Fact]
    public void UwsgiSsl_SetInLocation_AllFieldsOverrideAndRelativePathUnderConfPrefix()
    {
        var ssl = At(Config, "/set").Uwsgi.Ssl;
        Assert.True(ssl.Verify);
        Assert.True(ssl.ServerName);
        Assert.False(ssl.SessionReuse);
        Assert.Equal(4, ssl.VerifyDepth);
        Assert.Equal("app.test", ssl.Name!.Source);
        Assert.Equal("/etc/ssl/ca.pem", ssl.TrustedCertificate);
        Assert.Equal(["TLSv1.3"], ssl.Protocols!);
        Assert.True(Path.IsPathRooted(ssl.Certificate));
        Assert.EndsWith("/certs/client.pem", ssl.Certificate, StringComparison.Ordinal);
        Assert.Equal("/k/client.key", ssl.CertificateKey);
    }

    [Fact]
    public void UwsgiSsl_SameDirectivesAsProxySsl_SameSettingsApartFromModule()
    {
        // The twins compile through one routine into one record type: the same lines give equal settings.
        const string lines = "ssl_verify on; ssl_verify_depth 3; ssl_server_name on; ssl_protocols TLSv1.2; ssl_session_reuse off; "
            + "ssl_trusted_certificate /ca.pem; ssl_certificate /c.pem; ssl_certificate_key /c.key;";
        var config = $$"""
            server {
                listen 127.0.0.1:8080;
                location /p { proxy_pass https://127.0.0.1:9000; {{lines.Replace("ssl_", "proxy_ssl_", StringComparison.Ordinal)}} }
                location /u { uwsgi_pass suwsgi://127.0.0.1:9000; {{lines.Replace("ssl_", "uwsgi_ssl_", StringComparison.Ordinal)}} }
            }
            """;
        var proxy = At(config, "/p").Proxy.Ssl;
        var uwsgi = At(config, "/u").Uwsgi.Ssl;
        Assert.Equal("proxy", proxy.Module);
        Assert.Equal("uwsgi", uwsgi.Module);
        Assert.Equal(
            (proxy.Verify, proxy.VerifyDepth, proxy.ServerName, proxy.SessionReuse, proxy.TrustedCertificate, proxy.Certificate, proxy.CertificateKey),
            (uwsgi.Verify, uwsgi.VerifyDepth, uwsgi.ServerName, uwsgi.SessionReuse, uwsgi.TrustedCertificate, uwsgi.Certificate, uwsgi.CertificateKey));
        Assert.Equal(proxy.Protocols!, uwsgi.Protocols!);
        Assert.True(uwsgi.Verify);
        Assert.Equal(3, uwsgi.VerifyDepth);
    }

    [Fact]
    public void UwsgiSsl_ProxySslAtTheSameLevel_NotMixed()
    {
        var config = """
            server {
                listen 127.0.0.1:8080;
                proxy_ssl_verify on;
                location / { uwsgi_pass suwsgi://127.0.0.1:9000; }
            }
            """;
        var s = At(config, "/");
        Assert.False(s.Uwsgi.Ssl.Verify);
        Assert.True(s.Proxy.Ssl.Verify);
    }

    [Theory]
    [InlineData("suwsgi://h:1", "h:1", true)]
    [InlineData("SuWsGi://h:1", "h:1", true)]
    [InlineData("uwsgi://h:1", "h:1", false)]
    [InlineData("h:1", "h:1", false)]
    [InlineData("unix:/run/a.sock", "unix:/run/a.sock", false)]
    public void UwsgiTarget_StripScheme_AsNginxEval(string value, string address, bool tls)
    {
        Assert.Equal((address, tls), UwsgiTarget.StripScheme(value));
    }
}
