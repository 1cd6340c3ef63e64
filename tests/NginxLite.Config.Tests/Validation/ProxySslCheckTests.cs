using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary>UpstreamSslCheck.Proxy: the messages are Debian nginx 1.22.1's (`nginx -t` on the same configs, see also the interop
/// ProxySslConfigTestDifferentialTests that runs both side by side).</summary>
public class ProxySslCheckTests
{
    [Fact]
    public void VerifyOn_NoTrustedCertificate_EmergWithoutPosition()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  server { location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; } }\n}", checkEnvironment: false);
        Assert.Equal(["[emerg] no proxy_ssl_trusted_certificate for proxy_ssl_verify"], messages);
    }

    [Fact]
    public void VerifyOnInheritedFromHttp_ProxyPassWithVariables_StillChecked()
    {
        // proxy_pass with variables may turn out https at request time, so nginx prepares (and checks) TLS for it.
        var messages = CheckRunner.Run("events {}\nhttp {\n  proxy_ssl_verify on;\n  server { location / { proxy_pass http://$host; } }\n}", checkEnvironment: false);
        Assert.Equal(["[emerg] no proxy_ssl_trusted_certificate for proxy_ssl_verify"], messages);
    }

    [Fact]
    public void VerifyOn_PlainHttpProxyPass_NoError()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  server { location / { proxy_pass http://127.0.0.1:1; proxy_ssl_verify on; } }\n}", checkEnvironment: false);
        Assert.Empty(messages);
    }

    [Fact]
    public void Certificate_WithoutKey_NamesTheCertificate()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  proxy_ssl_certificate /etc/c.pem;\n  server { location / { proxy_pass https://127.0.0.1:1; } }\n}", checkEnvironment: false);
        Assert.Equal(["[emerg] no \"proxy_ssl_certificate_key\" is defined for certificate \"/etc/c.pem\""], messages);
    }

    [Fact]
    public void TrustedCertificate_MissingFile_OpenSslMessage()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  server { location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate /nonexistent/ca.pem; } }\n}");
        Assert.Equal(
            ["[emerg] SSL_CTX_load_verify_locations(\"/nonexistent/ca.pem\") failed (SSL: error:80000002:system library::No such file or directory:calling fopen(/nonexistent/ca.pem, r) error:10000080:BIO routines::no such file error:05880002:x509 certificate routines::system lib)"],
            messages);
    }
}
