using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NginxLite.Config.Validation.Checks;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary>PemFile: what OpenSSL's PEM readers fail on (the texts nginx prints for each are checked against nginx -t
/// in the interop ProxySslConfigTestDifferentialTests and SslFilesConfigTestDifferentialTests).</summary>
public sealed class PemFileTests : IDisposable
{
    private const string Zeros = "AAAAAAAAAAAAAAAA";

    private readonly string _dir = Directory.CreateTempSubdirectory("nginxlite-pem-").FullName;
    private readonly string[] _cert;
    private readonly string[] _pkcs8;
    private readonly string[] _rsa;
    private readonly string[] _ec;
    private readonly string[] _crl;

    public PemFileTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=pem.test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _cert = Lines(certificate.ExportCertificatePem());
        _pkcs8 = Lines(key.ExportPkcs8PrivateKeyPem());
        _ec = Lines(key.ExportECPrivateKeyPem());
        using var rsa = RSA.Create(2048);
        _rsa = Lines(rsa.ExportRSAPrivateKeyPem());
        var crl = new CertificateRevocationListBuilder().Build(certificate, BigInteger.One, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256);
        _crl = Lines(PemEncoding.WriteString("X509 CRL", crl));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Certificate_Sound_None() => Assert.Equal(PemProblem.None, PemFile.Certificate(Write(_cert)));

    [Fact]
    public void Certificate_NoAcceptedLabel_NoStartLine() =>
        Assert.Equal(PemProblem.NoStartLine, PemFile.Certificate(Write(["-----BEGIN PUBLIC KEY-----", "AAAA", "-----END PUBLIC KEY-----"])));

    [Fact]
    public void Certificate_BodyNotBase64_BadBase64() =>
        Assert.Equal(PemProblem.BadBase64, PemFile.Certificate(Write([_cert[0], "!!!!", _cert[^1]])));

    [Fact]
    public void Certificate_CutBeforeEndLine_BadEndLine() =>
        Assert.Equal(PemProblem.BadEndLine, PemFile.Certificate(Write(_cert[..3])));

    [Fact]
    public void Certificate_EndLineOfAnotherLabel_BadEndLine() =>
        Assert.Equal(PemProblem.BadEndLine, PemFile.Certificate(Write([.. _cert[..^1], "-----END X509 CRL-----"])));

    [Fact]
    public void Certificate_Base64OfNoCertificate_BadAsn1() =>
        Assert.Equal(PemProblem.BadAsn1, PemFile.Certificate(Write([_cert[0], Zeros, _cert[^1]])));

    [Fact]
    public void Certificate_DamagedKeyBlockBeforeIt_BadBase64() =>
        Assert.Equal(PemProblem.BadBase64, PemFile.Certificate(Write([_pkcs8[0], "!!!!", _pkcs8[^1], .. _cert])));

    [Fact]
    public void Certificate_KeyWithBadDerBeforeIt_None() =>
        Assert.Equal(PemProblem.None, PemFile.Certificate(Write([_pkcs8[0], Zeros, _pkcs8[^1], .. _cert])));

    [Fact]
    public void Chain_SoundSecondCertificateAndKey_None() =>
        Assert.Equal(PemProblem.None, PemFile.Chain(Write([.. _cert, .. _cert, .. _pkcs8])));

    [Theory]
    [InlineData("CERTIFICATE", Zeros, nameof(PemProblem.BadAsn1))]
    [InlineData("X509 CERTIFICATE", Zeros, nameof(PemProblem.BadAsn1))]
    [InlineData("TRUSTED CERTIFICATE", Zeros, nameof(PemProblem.None))]
    [InlineData("PRIVATE KEY", Zeros, nameof(PemProblem.None))]
    [InlineData("X509 CRL", Zeros, nameof(PemProblem.None))]
    [InlineData("FOO", "!!!!", nameof(PemProblem.BadBase64))]
    [InlineData("CERTIFICATE", "!!!!", nameof(PemProblem.BadBase64))]
    public void Chain_SecondBlock_OnlyCertificatesDecoded(string label, string body, string expected) =>
        Assert.Equal(Enum.Parse<PemProblem>(expected), PemFile.Chain(Write([.. _cert, $"-----BEGIN {label}-----", body, $"-----END {label}-----"])));

    [Fact]
    public void Chain_SecondBlockCut_BadEndLine() =>
        Assert.Equal(PemProblem.BadEndLine, PemFile.Chain(Write([.. _cert, .. _cert[..3]])));

    [Fact]
    public void Key_SoundForms_None()
    {
        Assert.Equal(PemProblem.None, PemFile.Key(Write(_pkcs8)));
        Assert.Equal(PemProblem.None, PemFile.Key(Write(_rsa)));
        Assert.Equal(PemProblem.None, PemFile.Key(Write(_ec)));
    }

    [Fact]
    public void Key_DerNotAKey_NoStartLine()
    {
        Assert.Equal(PemProblem.NoStartLine, PemFile.Key(Write([_pkcs8[0], Zeros, _pkcs8[^1]])));
        Assert.Equal(PemProblem.NoStartLine, PemFile.Key(Write([_rsa[0], Zeros, _rsa[^1]])));
        Assert.Equal(PemProblem.NoStartLine, PemFile.Key(Write([_ec[0], Zeros, _ec[^1]])));
    }

    [Fact]
    public void Key_CutDer_NoStartLine() =>
        Assert.Equal(PemProblem.NoStartLine, PemFile.Key(Write([.. _rsa[..4], _rsa[^1]])));

    [Fact]
    public void Key_DamagedBlockThenSoundKey_None() =>
        Assert.Equal(PemProblem.None, PemFile.Key(Write([_rsa[0], Zeros, _rsa[^1], _pkcs8[0], "!!!!", _pkcs8[^1], .. _ec])));

    [Fact]
    public void Key_EncryptedKeyHeaders_NotJudged() =>
        Assert.Equal(PemProblem.None, PemFile.Key(Write(["-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,00", "", "AAAA", "-----END RSA PRIVATE KEY-----"])));

    [Fact]
    public void Trusted_CertificateAndCrl_None() => Assert.Equal(PemProblem.None, PemFile.Trusted(Write([.. _cert, .. _crl])));

    [Fact]
    public void Trusted_CrlOnly_None() => Assert.Equal(PemProblem.None, PemFile.Trusted(Write(_crl)));

    [Fact]
    public void Trusted_CrlDerDamaged_BadAsn1()
    {
        Assert.Equal(PemProblem.BadAsn1, PemFile.Trusted(Write([.. _cert, _crl[0], Zeros, _crl[^1]])));
        Assert.Equal(PemProblem.BadAsn1, PemFile.Trusted(Write([.. _crl[..2], _crl[^1]])));
    }

    [Fact]
    public void Trusted_KeyDerDamaged_BadAsn1() =>
        Assert.Equal(PemProblem.BadAsn1, PemFile.Trusted(Write([.. _cert, _rsa[0], Zeros, _rsa[^1]])));

    [Fact]
    public void Trusted_KeyOnly_NoStartLine() => Assert.Equal(PemProblem.NoStartLine, PemFile.Trusted(Write(_pkcs8)));

    [Fact]
    public void Trusted_SecondBlockDamaged_BadBase64() =>
        Assert.Equal(PemProblem.BadBase64, PemFile.Trusted(Write([.. _cert, _cert[0], "!!!!", _cert[^1]])));

    [Fact]
    public void HasChainCertificate_CrlOnly_False()
    {
        Assert.False(PemFile.HasChainCertificate(Write(_crl)));
        Assert.True(PemFile.HasChainCertificate(Write([.. _crl, .. _cert])));
    }

    [Fact]
    public void AllReaders_UnreadableFile_None()
    {
        var missing = Path.Combine(_dir, "none.pem");
        Assert.Equal(PemProblem.None, PemFile.Certificate(missing));
        Assert.Equal(PemProblem.None, PemFile.Key(missing));
        Assert.Equal(PemProblem.None, PemFile.Trusted(missing));
    }

    [Fact]
    public void Key_CutThenSoundBlock_NoStartLine() =>
        // The second BEGIN line is read as part of the first body, where base64 decoding stops: one cut key.
        Assert.Equal(PemProblem.NoStartLine, PemFile.Key(Write([.. _rsa[..3], .. _rsa])));

    [Fact]
    public void Certificate_KeyCutThenCertificateBlock_BadEndLine() =>
        // The certificate's BEGIN line is body of the cut key, and its END line does not name the key's label.
        Assert.Equal(PemProblem.BadEndLine, PemFile.Certificate(Write([.. _rsa[..3], .. _cert])));

    [Fact]
    public void Trusted_TrustedCertificateDerDamaged_BadAsn1()
    {
        Assert.Equal(PemProblem.BadAsn1, PemFile.Trusted(Write(["-----BEGIN TRUSTED CERTIFICATE-----", Zeros, "-----END TRUSTED CERTIFICATE-----"])));
        Assert.Equal(PemProblem.None, PemFile.Trusted(Write(["-----BEGIN TRUSTED CERTIFICATE-----", .. _cert[1..^1], "-----END TRUSTED CERTIFICATE-----"])));
    }

    [Fact]
    public void KeyMatchesCertificate_OwnKey_OtherKeyOfSameType_KeyOfOtherType()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cert = Write(_cert);
        Assert.True(PemFile.KeyMatchesCertificate(cert, Write(_pkcs8)));
        Assert.True(PemFile.KeyMatchesCertificate(cert, Write(_ec)));
        Assert.False(PemFile.KeyMatchesCertificate(cert, Write(Lines(other.ExportPkcs8PrivateKeyPem()))));
        Assert.True(PemFile.KeyMatchesCertificate(cert, Write(_rsa)));
    }

    private static string[] Lines(string pem) => pem.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string Write(string[] lines)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllLines(path, lines);
        return path;
    }
}
