using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NginxLite.Handlers.Upstream.Tls;

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
}
