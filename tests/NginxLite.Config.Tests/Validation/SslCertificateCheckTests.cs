using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary>SslCertificateCheck on a server's TLS files (the texts are nginx 1.22.1's; the interop
/// TlsFileConfigTestDifferentialTests runs nginx -t on the same kinds of files).</summary>
public sealed class SslCertificateCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nginxlite-ssl-").FullName;
    private readonly string _cert;
    private readonly string _key;
    private readonly string _crl;

    public SslCertificateCheckTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ssl.test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _cert = Write("c.pem", certificate.ExportCertificatePem());
        _key = Write("k.pem", key.ExportPkcs8PrivateKeyPem());
        _crl = Write("ca.crl", PemEncoding.WriteString("X509 CRL",
            new CertificateRevocationListBuilder().Build(certificate, BigInteger.One, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SoundFiles_NoError() =>
        Assert.Empty(Run($"ssl_trusted_certificate {_cert}; ssl_verify_client on; ssl_client_certificate {_cert}; ssl_crl {_crl};"));

    [Fact]
    public void VerifyClient_NoClientCertificate_Emerg() =>
        Assert.Equal(["[emerg] no ssl_client_certificate for ssl_verify_client"], Run("ssl_verify_client on;"));

    [Fact]
    public void VerifyClientOptionalNoCa_NoClientCertificate_NoError() => Assert.Empty(Run("ssl_verify_client optional_no_ca;"));

    [Fact]
    public void Key_DerNotAKey_DecoderMessage()
    {
        var key = Write("bad.key", "-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n");
        Assert.Equal(
            [$"[emerg] cannot load certificate key \"{key}\": PEM_read_bio_PrivateKey() failed (SSL: error:1E08010C:DECODER routines::unsupported:No supported data to decode. Input type: PEM)"],
            CheckRunner.Run($"events {{}}\nhttp {{\n  server {{ listen 127.0.0.1:8443 ssl; ssl_certificate {_cert}; ssl_certificate_key {key}; }}\n}}"));
    }

    [Fact]
    public void Chain_SecondBlockNotACertificate_PemReadBioX509Message()
    {
        var chain = Write("chain.pem", File.ReadAllText(_cert) + "\n-----BEGIN CERTIFICATE-----\nAAAAAAAAAAAAAAAA\n-----END CERTIFICATE-----\n");
        Assert.Equal(
            [$"[emerg] cannot load certificate \"{chain}\": PEM_read_bio_X509() failed (SSL: error:0488000D:PEM routines::ASN1 lib)"],
            CheckRunner.Run($"events {{}}\nhttp {{\n  server {{ listen 127.0.0.1:8443 ssl; ssl_certificate {chain}; ssl_certificate_key {_key}; }}\n}}"));
    }

    [Fact]
    public void Crl_DerNotACrl_LookupLoadFileMessage()
    {
        var crl = Write("bad.crl", "-----BEGIN X509 CRL-----\nAAAAAAAAAAAAAAAA\n-----END X509 CRL-----\n");
        Assert.Equal(
            [$"[emerg] X509_LOOKUP_load_file(\"{crl}\") failed (SSL: error:0488000D:PEM routines::ASN1 lib error:05880009:x509 certificate routines::PEM lib)"],
            Run($"ssl_crl {crl};"));
    }

    [Fact]
    public void ClientCertificate_CrlOnly_LoadClientCaFileMessage() =>
        Assert.Equal(
            [$"[emerg] SSL_load_client_CA_file(\"{_crl}\") failed (SSL: error:0480006C:PEM routines::no start line:Expecting: CERTIFICATE)"],
            Run($"ssl_verify_client on; ssl_client_certificate {_crl};"));

    [Fact]
    public void InheritedDamagedTrustedFile_ReportedOnce()
    {
        var trusted = Write("t.pem", File.ReadAllText(_cert) + "\n-----BEGIN X509 CRL-----\nAAAAAAAAAAAAAAAA\n-----END X509 CRL-----\n");
        var messages = CheckRunner.Run($"events {{}}\nhttp {{\n  ssl_certificate {_cert}; ssl_certificate_key {_key}; ssl_trusted_certificate {trusted};\n  server {{ listen 127.0.0.1:8443 ssl; }}\n  server {{ listen 127.0.0.1:8444 ssl; }}\n}}");
        Assert.Equal([$"[emerg] SSL_CTX_load_verify_locations(\"{trusted}\") failed (SSL: error:0488000D:PEM routines::ASN1 lib error:05880009:x509 certificate routines::PEM lib)"], messages);
    }

    private IReadOnlyList<string> Run(string directives) =>
        CheckRunner.Run($"events {{}}\nhttp {{\n  server {{ listen 127.0.0.1:8443 ssl; ssl_certificate {_cert}; ssl_certificate_key {_key}; {directives} }}\n}}");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
