using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NginxLite.Interop.Tests.ConfigTest;

/// <summary>
/// TLS files for the <c>-t</c> differential tests of TlsFileConfigTestDifferentialTests, made with .NET at test time in a
/// temp dir: sound ones (a CA, a server certificate it signed and its key as PKCS#8 and SEC 1, an RSA key as PKCS#1, a CRL) and
/// copies of them damaged past the PEM layer (base64 sound, DER not what the label says) or in a later block.
/// </summary>
internal sealed class DamagedTlsFiles
{
    /// <summary>Base64 of twelve zero bytes: no DER structure starts with tag 0.</summary>
    private const string Zeros = "AAAAAAAAAAAAAAAA";

    public DamagedTlsFiles(string dir)
    {
        Dir = dir;
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Damaged Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=server.test", ec, HashAlgorithmName.SHA256);
        using var server = request.Create(ca, now.AddDays(-1), now.AddDays(10), [1, 2]);
        using var rsa = RSA.Create(2048); // only for the PKCS#1 form
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var caPem = Lines(ca.ExportCertificatePem());
        var serverPem = Lines(server.ExportCertificatePem());
        var pkcs8 = Lines(ec.ExportPkcs8PrivateKeyPem());
        var pkcs1 = Lines(rsa.ExportRSAPrivateKeyPem());
        var sec1 = Lines(ec.ExportECPrivateKeyPem());
        var crl = Lines(PemEncoding.WriteString("X509 CRL",
            new CertificateRevocationListBuilder().Build(ca, BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256)));

        Write("ca.pem", caPem);
        Write("server.pem", serverPem);
        Write("server.key", pkcs8);
        Write("ca.crl", crl);
        Write("ca-and-crl.pem", [.. caPem, .. crl]);

        // Keys: PEM sound, DER not a key (each form), cut short, and a damaged block before a sound one.
        Write("key-der.key", [pkcs8[0], Zeros, pkcs8[^1]]);
        Write("rsa-der.key", [pkcs1[0], Zeros, pkcs1[^1]]);
        Write("ec-der.key", [sec1[0], Zeros, sec1[^1]]);
        Write("key-cut.key", [.. pkcs8[..2], pkcs8[^1]]);
        Write("key-damaged-then-sound.key", [pkcs1[0], Zeros, pkcs1[^1], .. pkcs8]);
        Write("key-cut-then-sound.key", [.. pkcs8[..2], .. pkcs8]); // the second BEGIN line ends the first body's data
        Write("rsa.key", pkcs1); // sound, but not the key of server.pem (EC): OpenSSL keeps it in another slot
        Write("other.key", Lines(other.ExportPkcs8PrivateKeyPem())); // EC like server.pem, not its key

        // CRLs: DER not a CRL, cut short; alone and after a CA certificate; a key with a damaged DER in a trusted file.
        Write("crl-der.crl", [crl[0], Zeros, crl[^1]]);
        Write("crl-cut.crl", [.. crl[..3], crl[^1]]);
        Write("ca-and-crl-der.pem", [.. caPem, crl[0], Zeros, crl[^1]]);
        Write("ca-and-crl-cut.pem", [.. caPem, .. crl[..3], crl[^1]]);
        Write("ca-and-key-der.pem", [.. caPem, pkcs1[0], Zeros, pkcs1[^1]]);
        Write("ca-and-trusted-der.pem", [.. caPem, "-----BEGIN TRUSTED CERTIFICATE-----", Zeros, "-----END TRUSTED CERTIFICATE-----"]);

        // Chains: the server certificate, then a further block.
        Write("chain.pem", [.. serverPem, .. caPem, .. pkcs8]);
        Write("chain-der.pem", [.. serverPem, caPem[0], Zeros, caPem[^1]]);
        Write("chain-old-label-der.pem", [.. serverPem, "-----BEGIN X509 CERTIFICATE-----", Zeros, "-----END X509 CERTIFICATE-----"]);
        Write("chain-cut.pem", [.. serverPem, .. caPem[..4], caPem[^1]]);
        Write("chain-b64.pem", [.. serverPem, caPem[0], "!!!! not base64 !!!!", caPem[^1]]);
        Write("chain-no-end.pem", [.. serverPem, .. caPem[..4]]);
        Write("chain-key-der.pem", [.. serverPem, pkcs8[0], Zeros, pkcs8[^1]]);
        Write("chain-key-b64.pem", [.. serverPem, pkcs8[0], "!!!! not base64 !!!!", pkcs8[^1]]);
        Write("chain-cut-then-sound.pem", [.. serverPem, .. caPem[..3], .. caPem]);
    }

    public string Dir { get; }

    private static string[] Lines(string pem) => pem.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private void Write(string name, string[] lines) => File.WriteAllLines(Path.Combine(Dir, name), lines);
}
