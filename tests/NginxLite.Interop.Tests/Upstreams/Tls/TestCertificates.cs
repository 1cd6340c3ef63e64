using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.Tls;

/// <summary>
/// The certificates of the https upstream tests, written as PEM files into a temp dir: a test CA; a server
/// certificate for <c>backend.test</c> signed by it; one for <c>other.test</c> (wrong name); an expired one for
/// <c>backend.test</c>; a self-signed one made by <c>openssl req -x509</c>; a client certificate signed by the CA.
/// The CA-signed ones are made with CertificateRequest, because OpenSSL 3.0's <c>x509</c> cannot back-date an expired one.
/// </summary>
public sealed class TestCertificates
{
    public TestCertificates(string dir)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=NginxLite Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        Ca = Write(dir, "ca.pem", ca.ExportCertificatePem());

        (Server, ServerKey) = Leaf(dir, "server", ca, "backend.test", now.AddDays(-1), now.AddDays(10), serverAuth: true, 1);
        (WrongName, WrongNameKey) = Leaf(dir, "wrong", ca, "other.test", now.AddDays(-1), now.AddDays(10), serverAuth: true, 2);
        (Expired, ExpiredKey) = Leaf(dir, "expired", ca, "backend.test", now.AddDays(-20), now.AddDays(-2), serverAuth: true, 3);
        (Client, ClientKey) = Leaf(dir, "client", ca, "client.test", now.AddDays(-1), now.AddDays(10), serverAuth: false, 4);

        SelfSigned = Path.Combine(dir, "self.pem");
        SelfSignedKey = Path.Combine(dir, "self.key");
        var openssl = Process.Start(new ProcessStartInfo("openssl",
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "10",
             "-subj", "/CN=backend.test", "-addext", "subjectAltName=DNS:backend.test", "-keyout", SelfSignedKey, "-out", SelfSigned])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = openssl.StandardError.ReadToEndAsync();
        if (!openssl.WaitForExit(TimeSpan.FromSeconds(30)) || openssl.ExitCode != 0)
        {
            throw new InvalidOperationException("openssl req failed: " + stderr.Result);
        }

        File.SetUnixFileMode(SelfSignedKey, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public string Ca { get; }

    public string Server { get; }

    public string ServerKey { get; }

    public string WrongName { get; }

    public string WrongNameKey { get; }

    public string Expired { get; }

    public string ExpiredKey { get; }

    public string SelfSigned { get; }

    public string SelfSignedKey { get; }

    public string Client { get; }

    public string ClientKey { get; }

    private static (string Cert, string Key) Leaf(string dir, string file, X509Certificate2 ca, string name, DateTimeOffset from, DateTimeOffset to, bool serverAuth, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafCertificateRequest.For(name, key);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var cert = request.Create(ca, from, to, [serial, 0x42]);
        return (Write(dir, file + ".pem", cert.ExportCertificatePem()), Write(dir, file + ".key", key.ExportPkcs8PrivateKeyPem()));
    }

    private static string Write(string dir, string name, string pem)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, pem + "\n");
        return path;
    }
}
