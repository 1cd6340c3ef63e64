using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.Interop.Tests.Upstreams.Tls;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.ConfigTest;

/// <summary>
/// <c>-t</c> on proxy_ssl_* settings, Debian's nginx and nginxlite on the same file: the checks of
/// ngx_http_proxy_set_ssl (certificate without key, missing files, files that are not PEM, proxy_ssl_verify without
/// trusted certificates) give
/// the same verdict and the same <c>[emerg]</c> text; plain http proxy_pass and a complete https setup pass.
/// </summary>
public sealed partial class ProxySslConfigTestDifferentialTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "verify_without_trusted", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; }" },
        { "verify_inherited_variables", "location / { proxy_pass http://$host; } proxy_ssl_verify on;" },
        { "certificate_without_key", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate CERT; }" },
        { "certificate_missing_file", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate DIR/none.pem; proxy_ssl_certificate_key KEY; }" },
        { "trusted_missing_file", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/none.pem; }" },
        { "certificate_not_pem", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate DIR/bad.pem; proxy_ssl_certificate_key KEY; }" },
        { "certificate_key_not_pem", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate CERT; proxy_ssl_certificate_key DIR/bad.pem; }" },
        { "certificate_and_key_swapped", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate KEY; proxy_ssl_certificate_key CERT; }" },
        { "trusted_not_pem", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/bad.pem; }" },
        { "trusted_empty", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/empty.pem; }" },
        { "trusted_is_a_key", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate KEY; }" },
        { "certificate_bad_base64", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate DIR/b64.pem; proxy_ssl_certificate_key KEY; }" },
        { "certificate_no_end_line", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate DIR/noend.pem; proxy_ssl_certificate_key KEY; }" },
        { "certificate_key_bad_base64", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate CERT; proxy_ssl_certificate_key DIR/keyb64.pem; }" },
        { "certificate_key_no_end_line", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate CERT; proxy_ssl_certificate_key DIR/keynoend.pem; }" },
        { "trusted_bad_base64", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/b64.pem; }" },
        { "trusted_no_end_line", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/noend.pem; }" },
        { "verify_with_plain_http", "location / { proxy_pass http://127.0.0.1:1; proxy_ssl_verify on; }" },
        { "complete", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate CA; proxy_ssl_certificate CERT; proxy_ssl_certificate_key KEY; }" },
    };

    /// <summary>The same cases for uwsgi_pass suwsgi:// and uwsgi_ssl_*: ngx_http_uwsgi_set_ssl makes the same checks
    /// with its own directive names (plain http becomes a plain uwsgi_pass).</summary>
    public static TheoryData<string, string> UwsgiCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in Cases())
        {
            var server = ((string)row[1]).Replace("proxy_pass https://", "uwsgi_pass suwsgi://", StringComparison.Ordinal)
                .Replace("proxy_pass http://$host", "uwsgi_pass $host", StringComparison.Ordinal)
                .Replace("proxy_pass http://", "uwsgi_pass ", StringComparison.Ordinal)
                .Replace("proxy_ssl_", "uwsgi_ssl_", StringComparison.Ordinal);
            data.Add((string)row[0], server);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UwsgiCases))]
    public void ConfigTest_UwsgiSsl_SameVerdictAndMessageAsNginx(string name, string server)
    {
        Assert.DoesNotContain("proxy_", server, StringComparison.Ordinal);
        ConfigTest_ProxySsl_SameVerdictAndMessageAsNginx(name, server);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConfigTest_ProxySsl_SameVerdictAndMessageAsNginx(string name, string server)
    {
        using var dir = new TempDir();
        var certificates = new TestCertificates(dir.Path);
        var body = server.Replace("CERT", certificates.Server, StringComparison.Ordinal)
            .Replace("KEY", certificates.ServerKey, StringComparison.Ordinal)
            .Replace("CA", certificates.Ca, StringComparison.Ordinal)
            .Replace("DIR", dir.Path, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.Path, "bad.pem"), "not a certificate\n");
        File.WriteAllText(Path.Combine(dir.Path, "empty.pem"), "");
        WriteDamaged(dir.Path, certificates);
        var conf = Path.Combine(dir.Path, name + ".conf");
        File.WriteAllText(conf, $$"""
            events {}
            pid {{dir.Path}}/nginx.pid;
            error_log {{dir.Path}}/error.log;
            http {
              access_log off;
              server { listen 127.0.0.1:{{FreePort.Next()}}; {{body}} }
            }
            """);

        var (nginx, lite) = ConfigTestRuns.Test(dir.Path, conf);

        Assert.Equal(nginx.ExitCode, lite.ExitCode);
        Assert.Equal(ConfigTestRuns.Emerg(nginx.Stderr), ConfigTestRuns.Emerg(lite.Stderr));
        Assert.Equal(name is "verify_with_plain_http" or "complete" ? 0 : 1, lite.ExitCode);
    }

    // A CERTIFICATE block whose base64 is sound but whose DER is not a certificate: nginx's text names the ASN.1
    // field that failed before "ASN1 lib" (only OpenSSL's parser knows it); nginxlite prints the rest, the same.
    [Theory]
    [InlineData("proxy_ssl_certificate DIR/der.pem; proxy_ssl_certificate_key KEY;")]
    [InlineData("proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/der.pem;")]
    public void ConfigTest_ProxySslCertificateBadDer_FailsLikeNginxWithoutTheAsn1Detail(string directives)
    {
        using var dir = new TempDir();
        var certificates = new TestCertificates(dir.Path);
        WriteDamaged(dir.Path, certificates);
        var conf = Path.Combine(dir.Path, "der.conf");
        File.WriteAllText(conf, $$"""
            events {}
            pid {{dir.Path}}/nginx.pid;
            error_log {{dir.Path}}/error.log;
            http {
              access_log off;
              server { listen 127.0.0.1:{{FreePort.Next()}}; location / { proxy_pass https://127.0.0.1:1; {{directives.Replace("DIR", dir.Path, StringComparison.Ordinal).Replace("KEY", certificates.ServerKey, StringComparison.Ordinal)}} } }
            }
            """);

        var (nginx, lite) = ConfigTestRuns.Test(dir.Path, conf);

        Assert.Equal(1, nginx.ExitCode);
        Assert.Equal(1, lite.ExitCode);
        var expected = Asn1Detail().Replace(ConfigTestRuns.Emerg(nginx.Stderr) ?? "", "");
        Assert.Contains("PEM routines::ASN1 lib", expected, StringComparison.Ordinal);
        Assert.Equal(expected, ConfigTestRuns.Emerg(lite.Stderr));
    }

    [Theory]
    [InlineData("proxy_ssl_certificate DIR/bad.pem; proxy_ssl_certificate_key KEY;")]
    [InlineData("proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/bad.pem;")]
    [InlineData("proxy_ssl_certificate DIR/b64.pem; proxy_ssl_certificate_key KEY;")]
    [InlineData("proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/noend.pem;")]
    public void Start_ProxySslFileNotPem_FailsLikeNginx(string directives)
    {
        using var dir = new TempDir();
        var certificates = new TestCertificates(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "bad.pem"), "not a certificate\n");
        WriteDamaged(dir.Path, certificates);
        var conf = Path.Combine(dir.Path, "start.conf");
        File.WriteAllText(conf, $$"""
            events {}
            pid {{dir.Path}}/server.pid;
            error_log {{dir.Path}}/error.log;
            http {
              access_log off;
              server {
                listen 127.0.0.1:{{FreePort.Next()}};
                location / { proxy_pass https://127.0.0.1:1; {{directives.Replace("DIR", dir.Path, StringComparison.Ordinal).Replace("KEY", certificates.ServerKey, StringComparison.Ordinal)}} }
              }
            }
            """);

        var (nginx, lite) = ConfigTestRuns.Start(dir.Path, conf);

        Assert.Equal(1, nginx.ExitCode);
        Assert.Equal(1, lite.ExitCode);
        Assert.Equal(ConfigTestRuns.Emerg(nginx.Stderr), ConfigTestRuns.Emerg(lite.Stderr));
        Assert.Matches("PEM_read_bio_X509_AUX|SSL_CTX_load_verify_locations", ConfigTestRuns.Emerg(lite.Stderr) ?? "");
    }

    /// <summary>Files with a valid PEM header but a damaged body, made from the test certificate and key: b64.pem and
    /// keyb64.pem (a body line that is not base64), noend.pem and keynoend.pem (cut before the END line), der.pem (base64
    /// of bytes that are not a certificate).</summary>
    private static void WriteDamaged(string dir, TestCertificates certificates)
    {
        var cert = File.ReadAllLines(certificates.Server);
        var key = File.ReadAllLines(certificates.ServerKey);
        File.WriteAllLines(Path.Combine(dir, "b64.pem"), [cert[0], "!!!! not base64 !!!!", cert[^1]]);
        File.WriteAllLines(Path.Combine(dir, "keyb64.pem"), [key[0], "!!!! not base64 !!!!", key[^1]]);
        File.WriteAllLines(Path.Combine(dir, "noend.pem"), cert[..4]);
        File.WriteAllLines(Path.Combine(dir, "keynoend.pem"), key[..4]);
        File.WriteAllLines(Path.Combine(dir, "der.pem"), [cert[0], "AAAAAAAAAAAAAAAA", cert[^1]]);
    }

    /// <summary>OpenSSL's asn1 encoding routines errors (library 0x0D, codes 068xxxxx/06880xxx) up to "ASN1 lib".</summary>
    [GeneratedRegex(@"error:06[0-9A-F]{6}:asn1 encoding routines::.*? (?=error:0488000D:)")]
    private static partial Regex Asn1Detail();
}
