using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NginxLite.Interop.Tests.TlsListen;

/// <summary>A self-signed certificate for one DNS name, made at test time and written as PEM (cert, key) into a directory.</summary>
public sealed class SiteCertificate
{
    public SiteCertificate(string dir, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(10));
        Thumbprint = cert.GetCertHashString();
        CertificateFile = name + ".pem";
        KeyFile = name + ".key";
        File.WriteAllText(Path.Combine(dir, CertificateFile), cert.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(dir, KeyFile), key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>SHA-1 hash of the certificate, as the client's validation callback sees it.</summary>
    public string Thumbprint { get; }

    /// <summary>File name only: configs name it relative to the config file's directory (nginx's conf prefix).</summary>
    public string CertificateFile { get; }

    public string KeyFile { get; }
}
