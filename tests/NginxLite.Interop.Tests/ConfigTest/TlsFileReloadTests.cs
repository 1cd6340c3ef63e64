using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;
using Xunit;
using static NginxLite.Interop.Tests.Lifecycle.ProcessInterfaceSupport;

namespace NginxLite.Interop.Tests.ConfigTest;

/// <summary>
/// A reload onto TLS files damaged past the PEM layer (<see cref="DamagedTlsFiles"/>) is refused with the
/// <c>[emerg]</c> text <c>nginx -t</c> prints for the same config (less OpenSSL's asn1 detail), and the old
/// configuration keeps serving, as nginx's master does when a reload fails.
/// </summary>
public sealed class TlsFileReloadTests
{
    private static string Config(string dir, int port, string chain, string key) => $$"""
        pid logs/nl.pid;
        events { }
        http {
            access_log off;
            server {
                listen 127.0.0.1:{{port}};
                location = / { return 200 "old\n"; }
                location /tls { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate {{dir}}/{{chain}}; proxy_ssl_certificate_key {{dir}}/{{key}}; }
            }
        }
        """;

    [Theory]
    [InlineData("chain-der.pem", "server.key", "PEM_read_bio_X509() failed")]
    [InlineData("server.pem", "key-der.key", "PEM_read_bio_PrivateKey() failed")]
    public void Reload_DamagedTlsFile_LogsNginxsEmergAndKeepsServing(string chain, string key, string function)
    {
        using var dir = new TempDir();
        var prefix = dir.Path + "/";
        _ = new DamagedTlsFiles(dir.Path);
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, prefix, p => Config(dir.Path, p, "chain.pem", "server.key"));
        Assert.Equal((200, "old\n"), Get(server.Port));

        File.WriteAllText(ConfigFile(server), Config(dir.Path, server.Port, chain, key));
        var (exit, stderr) = SendSignal(server, "reload");
        var nginx = CommandRun.Run(NginxFlavor.Binary, "-t", "-p", prefix, "-c", ConfigFile(server), "-e", prefix + "logs/nginx-t.log");

        Assert.True(exit == 0, $"-s reload exited {exit}: {stderr}");
        Assert.Equal(1, nginx.ExitCode);
        var expected = TlsFileConfigTestDifferentialTests.WithoutAsn1Detail(ConfigTestRuns.Emerg(nginx.Stderr));
        Assert.Contains(function, expected, StringComparison.Ordinal);
        Assert.True(
            Eventually(() => ReadText(server.ErrorLog).Contains(expected!, StringComparison.Ordinal)),
            $"no \"{expected}\" in the error log after the reload\n{server.Describe()}");
        Assert.Equal((200, "old\n"), Get(server.Port));
        Assert.False(server.HasExited);
    }
}
