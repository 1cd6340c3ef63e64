using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NginxLite.TestSupport;

/// <summary>
/// The request for a test leaf certificate: subject CN and one subjectAltName DNS entry, both the name (nginx checks
/// the SAN), and basic constraints saying it is not a CA. Callers add the extensions their case needs, then sign.
/// </summary>
public static class LeafCertificateRequest
{
    public static CertificateRequest For(string name, ECDsa key)
    {
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return request;
    }
}
