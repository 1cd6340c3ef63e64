using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// Whether a PEM block's DER is what its label says, decided by .NET's own decoders (which call OpenSSL's d2i_* on
/// Linux for certificates and keys): d2i_X509 for a certificate, d2i_X509_CRL for a CRL, the key decoders behind
/// PEM_read_bio_PrivateKey for a key. A form .NET has no decoder for (a traditional DSA key, an encrypted one, a
/// PKCS#8 key of an algorithm other than RSA, EC or DSA such as Ed25519) is taken as sound: only OpenSSL could say.
/// </summary>
internal static class PemDer
{
    public static bool IsCertificate(byte[] der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>RFC 5280 5.1 CertificateList, as CertificateRevocationListBuilder.Load decodes it (v1 or v2).</summary>
    public static bool IsCrl(byte[] der)
    {
        try
        {
            CertificateRevocationListBuilder.Load(der, out _, out _);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>A private key block of one of <see cref="PemFile.KeyLabels"/>: PKCS#8 PrivateKeyInfo (RFC 5208),
    /// PKCS#1 RSAPrivateKey (RFC 8017 A.1.2) or SEC 1 ECPrivateKey (RFC 5915).</summary>
    public static bool IsKey(string label, byte[] der)
    {
        try
        {
            switch (label)
            {
                case "PRIVATE KEY":
                    return IsPkcs8(der);
                case "RSA PRIVATE KEY":
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportRSAPrivateKey(der, out _);
                    }

                    return true;
                case "EC PRIVATE KEY":
                    using (var ec = ECDsa.Create())
                    {
                        ec.ImportECPrivateKey(der, out _);
                    }

                    return true;
                default:
                    return true; // DSA PRIVATE KEY, ENCRYPTED PRIVATE KEY: no .NET decoder without OpenSSL's own
            }
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    private static bool IsPkcs8(byte[] der)
    {
        // PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, … }
        var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
        info.ReadInteger();
        var algorithm = info.ReadSequence().ReadObjectIdentifier();
        info.ReadOctetString();
        AsymmetricAlgorithm? key = algorithm switch
        {
            "1.2.840.113549.1.1.1" => RSA.Create(),
            "1.2.840.10045.2.1" => ECDsa.Create(),
            "1.2.840.10040.4.1" => DSA.Create(),
            _ => null,
        };
        using (key)
        {
            key?.ImportPkcs8PrivateKey(der, out _);
        }

        return true;
    }
}
