using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.TlsListen;

/// <summary>nginx and nginxlite started on the same TLS config, each in its own prefix, with the same two certificates
/// (<c>a.test</c>, <c>b.test</c>) in each prefix's conf directory. Disposing stops both (by PID) and removes the dirs.</summary>
public sealed class TlsServerPair : IDisposable
{
    private readonly TempDir _nginxDir = new();
    private readonly TempDir _liteDir = new();
    private readonly Dictionary<string, SiteCertificate> _certificates = [];

    public TlsServerPair(Func<int, string> config)
    {
        var nginxConf = _nginxDir.Dir("conf");
        var liteConf = _liteDir.Dir("conf");
        foreach (var name in new[] { "a.test", "b.test" })
        {
            var certificate = new SiteCertificate(nginxConf, name);
            File.Copy(Path.Combine(nginxConf, certificate.CertificateFile), Path.Combine(liteConf, certificate.CertificateFile));
            File.Copy(Path.Combine(nginxConf, certificate.KeyFile), Path.Combine(liteConf, certificate.KeyFile));
            _certificates[name] = certificate;
        }

        try
        {
            Nginx = ServerProcess.Start(ServerFlavor.Nginx, _nginxDir.Path + "/", config);
            NginxLite = ServerProcess.Start(ServerFlavor.NginxLite, _liteDir.Path + "/", config);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ServerProcess Nginx { get; } = null!;

    public ServerProcess NginxLite { get; } = null!;

    public SiteCertificate Certificate(string name) => _certificates[name];

    public void Dispose()
    {
        NginxLite?.Dispose();
        Nginx?.Dispose();
        _liteDir.Dispose();
        _nginxDir.Dispose();
    }
}
