using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NginxLite.Handlers.Upstream.Tls;
using NginxLite.Routing.Settings;
using NginxLite.TestSupport;

namespace NginxLite.Handlers.Tests.Upstream;

/// <summary>proxy_ssl_verify's and uwsgi_ssl_verify's name check as OpenSSL's X509_check_host with nginx's flags:
/// subjectAltName DNS names, else the subject CN; a "*" left-most label matches exactly one label; names compare without case.</summary>
public sealed class UpstreamCertificateCheckTests
{
    private static X509Certificate2 Certificate(string subject, string[]? dns = null, IPAddress? ip = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (dns is not null || ip is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dns ?? [])
            {
                san.AddDnsName(name);
            }

            if (ip is not null)
            {
                san.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Theory]
    [InlineData("backend.test", true)]
    [InlineData("BACKEND.test", true)]
    [InlineData("other.test", false)]
    [InlineData("cn.test", false)]
    public void MatchesHost_SubjectAltName_UsedAndCnIgnored(string name, bool expected)
    {
        using var cert = Certificate("CN=cn.test", ["backend.test"]);
        Assert.Equal(expected, UpstreamCertificateCheck.MatchesHost(cert, name));
    }

    [Theory]
    [InlineData("a.example.test", true)]
    [InlineData("a.b.example.test", false)]
    [InlineData("example.test", false)]
    public void MatchesHost_Wildcard_MatchesOneLabel(string name, bool expected)
    {
        using var cert = Certificate("CN=wild", ["*.example.test"]);
        Assert.Equal(expected, UpstreamCertificateCheck.MatchesHost(cert, name));
    }

    [Fact]
    public void MatchesHost_NoSubjectAltName_FallsBackToCn()
    {
        using var cert = Certificate("CN=backend.test");
        Assert.True(UpstreamCertificateCheck.MatchesHost(cert, "backend.test"));
        Assert.False(UpstreamCertificateCheck.MatchesHost(cert, "other.test"));
    }

    [Fact]
    public void MatchesHost_IpNameAgainstIpSanOnly_NoMatch()
    {
        // nginx checks the name with X509_check_host, which looks at DNS names only (the upstream's 127.0.0.1 against
        // an IP SAN fails there too).
        using var cert = Certificate("CN=x", ["backend.test"], IPAddress.Loopback);
        Assert.False(UpstreamCertificateCheck.MatchesHost(cert, "127.0.0.1"));
    }

    private static X509Certificate2 Ca(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
    }

    private static X509Certificate2 Leaf(X509Certificate2 ca, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafCertificateRequest.For(name, key);
        return request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(5), [7, 1]);
    }

    [Fact]
    public void Check_LeafSignedByAnotherCa_OpenSsl21AsNginxLogsIt_TrustedCaPasses()
    {
        // nginx 1.22.1 in front of uWSGI --ssl-socket with a trusted CA that did not sign the certificate logs
        // "(21:unable to verify the first certificate)" (SuwsgiDifferentialTests); the shared check says the same.
        using var signer = Ca("CN=Signer CA");
        using var other = Ca("CN=Other CA");
        using var leaf = Leaf(signer, "backend.test");
        var dir = Directory.CreateTempSubdirectory("nginxlite-certcheck-");
        try
        {
            var otherFile = Path.Combine(dir.FullName, "other.pem");
            var signerFile = Path.Combine(dir.FullName, "signer.pem");
            File.WriteAllText(otherFile, other.ExportCertificatePem());
            File.WriteAllText(signerFile, signer.ExportCertificatePem());
            var wrong = UpstreamTlsContext.For(UpstreamSslSettings.Uwsgi with { Verify = true, TrustedCertificate = otherFile });
            var right = UpstreamTlsContext.For(UpstreamSslSettings.Uwsgi with { Verify = true, TrustedCertificate = signerFile });

            Assert.Equal("upstream SSL certificate verify error: (21:unable to verify the first certificate)",
                UpstreamCertificateCheck.Check(leaf, null, wrong, "backend.test"));
            Assert.Null(UpstreamCertificateCheck.Check(leaf, null, right, "backend.test"));
            Assert.Equal("upstream SSL certificate does not match \"other.test\"", UpstreamCertificateCheck.Check(leaf, null, right, "other.test"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
