using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NginxLite.Config.Validation.Checks;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary>PemFile.Inspect: what OpenSSL's PEM readers fail on (the texts nginx prints for each are checked against
/// nginx -t in the interop ProxySslConfigTestDifferentialTests).</summary>
public sealed class PemFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nginxlite-pem-").FullName;
    private readonly string[] _cert;

    public PemFileTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=pem.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _cert = certificate.ExportCertificatePem().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PemProblem Inspect(string[] lines, string[] labels, bool all = false)
    {
        var path = Path.Combine(_dir, "f.pem");
        File.WriteAllLines(path, lines);
        return PemFile.Inspect(path, labels, all);
    }

    [Fact]
    public void Inspect_SoundCertificate_None() => Assert.Equal(PemProblem.None, Inspect(_cert, PemFile.CertificateLabels));

    [Fact]
    public void Inspect_NoAcceptedLabel_NoStartLine() =>
        Assert.Equal(PemProblem.NoStartLine, Inspect(["-----BEGIN PUBLIC KEY-----", "AAAA", "-----END PUBLIC KEY-----"], PemFile.CertificateLabels));

    [Fact]
    public void Inspect_BodyNotBase64_BadBase64() =>
        Assert.Equal(PemProblem.BadBase64, Inspect([_cert[0], "!!!!", _cert[^1]], PemFile.CertificateLabels));

    [Fact]
    public void Inspect_CutBeforeEndLine_BadEndLine() =>
        Assert.Equal(PemProblem.BadEndLine, Inspect(_cert[..3], PemFile.CertificateLabels));

    [Fact]
    public void Inspect_EndLineOfAnotherLabel_BadEndLine() =>
        Assert.Equal(PemProblem.BadEndLine, Inspect([.. _cert[..^1], "-----END X509 CRL-----"], PemFile.CertificateLabels));

    [Fact]
    public void Inspect_Base64OfNoCertificate_BadAsn1() =>
        Assert.Equal(PemProblem.BadAsn1, Inspect([_cert[0], "AAAAAAAAAAAAAAAA", _cert[^1]], PemFile.CertificateLabels));

    [Fact]
    public void Inspect_EncryptedKeyHeaders_NotPartOfTheBody() =>
        Assert.Equal(PemProblem.None, Inspect(["-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,00", "", "AAAA", "-----END RSA PRIVATE KEY-----"], PemFile.KeyLabels));

    [Theory]
    [InlineData(false, nameof(PemProblem.None))]
    [InlineData(true, nameof(PemProblem.BadBase64))]
    public void Inspect_SecondBlockDamaged_OnlyFoundWhenAllAreRead(bool all, string expected) =>
        Assert.Equal(Enum.Parse<PemProblem>(expected), Inspect([.. _cert, _cert[0], "!!!!", _cert[^1]], PemFile.TrustedLabels, all));
}
