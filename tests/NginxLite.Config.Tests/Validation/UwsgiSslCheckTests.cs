using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary>UpstreamSslCheck.Uwsgi: ngx_http_uwsgi_set_ssl's messages, Debian nginx 1.22.1's words (`nginx -t` on the
/// same configs: "no uwsgi_ssl_trusted_certificate for uwsgi_ssl_verify", "no "uwsgi_ssl_certificate_key" is defined for
/// certificate "x.pem"", also for a uwsgi_pass with variables, none for a plain uwsgi_pass).</summary>
public class UwsgiSslCheckTests
{
    [Fact]
    public void VerifyOn_SuwsgiPassNoTrustedCertificate_Emerg()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  server { location / { uwsgi_pass suwsgi://127.0.0.1:1; uwsgi_ssl_verify on; } }\n}", checkEnvironment: false);
        Assert.Equal(["[emerg] no uwsgi_ssl_trusted_certificate for uwsgi_ssl_verify"], messages);
    }

    [Fact]
    public void CertificateWithoutKey_UwsgiPassWithVariables_Emerg()
    {
        // A target of variables may turn out suwsgi:// per request, so nginx prepares (and checks) TLS for it.
        var messages = CheckRunner.Run("events {}\nhttp {\n  uwsgi_ssl_certificate x.pem;\n  server { location / { uwsgi_pass $arg_x; } }\n}", checkEnvironment: false);
        Assert.Equal(["[emerg] no \"uwsgi_ssl_certificate_key\" is defined for certificate \"x.pem\""], messages);
    }

    [Fact]
    public void VerifyOn_PlainUwsgiPass_NoError()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  server { location / { uwsgi_pass 127.0.0.1:1; uwsgi_ssl_verify on; } }\n}", checkEnvironment: false);
        Assert.Empty(messages);
    }

    [Fact]
    public void ProxySslVerifyOn_SuwsgiPass_NotMixedUp()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  proxy_ssl_verify on;\n  server { location / { uwsgi_pass suwsgi://127.0.0.1:1; } }\n}", checkEnvironment: false);
        Assert.Empty(messages);
    }
}
