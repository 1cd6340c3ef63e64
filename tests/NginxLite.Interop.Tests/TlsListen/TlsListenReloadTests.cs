using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;
using static NginxLite.Interop.Tests.Lifecycle.ProcessInterfaceSupport;

namespace NginxLite.Interop.Tests.TlsListen;

/// <summary>
/// Certificates are loaded once per configuration: a reload that names another certificate serves the new one on the
/// TLS socket it keeps open (nginx's new workers do the same), and a plain listener that gains <c>ssl</c> on reload
/// starts terminating TLS.
/// </summary>
public sealed class TlsListenReloadTests
{
    private static string Config(int port, string certificate, string ssl = " ssl") => $$"""
        pid logs/tls.pid;
        events { }
        http {
            access_log off;
            server {
                listen 127.0.0.1:{{port}}{{ssl}};
                server_name a.test;
                ssl_certificate {{certificate}}.pem;
                ssl_certificate_key {{certificate}}.key;
                location / { return 200 "$scheme $https\n"; }
            }
        }
        """;

    [Fact]
    public void TlsListen_ReloadWithOtherCertificate_ServesTheNewCertificate()
    {
        using var dir = new TempDir();
        var conf = dir.Dir("conf");
        var first = new SiteCertificate(conf, "a.test");
        Directory.CreateDirectory(Path.Combine(conf, "next"));
        var second = new SiteCertificate(Path.Combine(conf, "next"), "a.test");
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", p => Config(p, "a.test"));
        Assert.Equal(first.Thumbprint, HttpsGet.Send(server.Port, "a.test", "/").Thumbprint);

        File.WriteAllText(ConfigFile(server), Config(server.Port, "next/a.test"));
        var (exit, stderr) = SendSignal(server, "reload");

        Assert.True(exit == 0, $"-s reload exited {exit}: {stderr}");
        Assert.True(
            Eventually(() => HttpsGet.Send(server.Port, "a.test", "/").Thumbprint == second.Thumbprint),
            $"still the old certificate after the reload\n{server.Describe()}");
        Assert.Equal((200, "https on\n"), (HttpsGet.Send(server.Port, "a.test", "/").Status, HttpsGet.Send(server.Port, "a.test", "/").Body));
    }

    [Fact]
    public void TlsListen_ReloadAddsSslToPlainListener_TerminatesTls()
    {
        using var dir = new TempDir();
        var certificate = new SiteCertificate(dir.Dir("conf"), "a.test");
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", p => Config(p, "a.test", ssl: ""));
        Assert.Equal((200, "http \n"), Get(server.Port));

        File.WriteAllText(ConfigFile(server), Config(server.Port, "a.test"));
        var (exit, stderr) = SendSignal(server, "reload");

        Assert.True(exit == 0, $"-s reload exited {exit}: {stderr}");
        Assert.True(
            Eventually(() => HttpsGet.Send(server.Port, "a.test", "/") is { Status: 200, Body: "https on\n" } r && r.Thumbprint == certificate.Thumbprint),
            $"no TLS after the reload\n{server.Describe()}");
    }
}
