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
    /// <summary>d2i_X509, or with <paramref name="auxiliary"/> d2i_X509_AUX (a TRUSTED CERTIFICATE block: the
    /// certificate, then OpenSSL's trust settings, which only the certificate before them is checked for).</summary>
    public static bool IsCertificate(byte[] der, bool auxiliary = false)
    {
        try
        {
            var length = der.Length;
            if (auxiliary && !AsnDecoder.TryReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out _, out length))
            {
                return false;
            }

            using var certificate = X509CertificateLoader.LoadCertificate(der.AsSpan(0, length));
            return true;
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
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
        using var key = Import(label, der, out var sound);
        return sound;
    }

    /// <summary>The key of a block .NET can import (RSA or EC), else null; <paramref name="sound"/> as
    /// <see cref="IsKey"/>.</summary>
    public static AsymmetricAlgorithm? Import(string label, byte[] der, out bool sound)
    {
        AsymmetricAlgorithm? key = null;
        try
        {
            switch (label)
            {
                case "PRIVATE KEY":
                    // PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, … }
                    var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
                    info.ReadInteger();
                    var algorithm = info.ReadSequence().ReadObjectIdentifier();
                    info.ReadOctetString();
                    key = algorithm switch
                    {
                        "1.2.840.113549.1.1.1" => RSA.Create(),
                        "1.2.840.10045.2.1" => ECDsa.Create(),
                        "1.2.840.10040.4.1" => DSA.Create(),
                        _ => null,
                    };
                    key?.ImportPkcs8PrivateKey(der, out _);
                    break;
                case "RSA PRIVATE KEY":
                    var rsa = RSA.Create();
                    key = rsa;
                    rsa.ImportRSAPrivateKey(der, out _);
                    break;
                case "EC PRIVATE KEY":
                    var ec = ECDsa.Create();
                    key = ec;
                    ec.ImportECPrivateKey(der, out _);
                    break;
                default:
                    break; // DSA PRIVATE KEY, ENCRYPTED PRIVATE KEY: no .NET decoder without OpenSSL's own
            }

            sound = true;
            return key is RSA or ECDsa ? key : Dispose(key);
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or PlatformNotSupportedException)
        {
            sound = false;
            return Dispose(key);
        }
    }

    /// <summary>X509_check_private_key, as SSL_CTX_use_PrivateKey runs it when the key is of the certificate's type:
    /// false when both are RSA or both EC and the public halves differ (null when that cannot be told here).</summary>
    public static bool? Matches(byte[] certificateDer, AsymmetricAlgorithm key)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
            switch (key)
            {
                case RSA rsa when certificate.GetRSAPublicKey() is { } pub:
                    using (pub)
                    {
                        RSAParameters a = rsa.ExportParameters(false), b = pub.ExportParameters(false);
                        return a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
                    }

                case ECDsa ec when certificate.GetECDsaPublicKey() is { } pub:
                    using (pub)
                    {
                        ECParameters a = ec.ExportParameters(false), b = pub.ExportParameters(false);
                        return a.Q.X.AsSpan().SequenceEqual(b.Q.X) && a.Q.Y.AsSpan().SequenceEqual(b.Q.Y);
                    }

                default:
                    return null; // another type goes to another slot of the SSL_CTX: nothing to compare with
            }
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static AsymmetricAlgorithm? Dispose(AsymmetricAlgorithm? key)
    {
        key?.Dispose();
        return null;
    }
}
