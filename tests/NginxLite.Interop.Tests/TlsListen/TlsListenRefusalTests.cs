using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.TlsListen;

/// <summary>
/// Client certificates are not implemented: a TLS server with <c>ssl_verify_client on</c> is refused at start (fail
/// closed) instead of being served without the check nginx would make. The same config passes <c>-t</c>.
/// </summary>
public sealed class TlsListenRefusalTests
{
    [Fact]
    public void TlsListen_SslVerifyClientOn_RefusesToStart()
    {
        using var dir = new TempDir();
        _ = new SiteCertificate(dir.Dir("conf"), "a.test");
        var e = Assert.Throws<ServerStartException>(() =>
        {
            using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", port => $$"""
                pid logs/tls.pid;
                events { }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:{{port}} ssl;
                        ssl_certificate a.test.pem;
                        ssl_certificate_key a.test.key;
                        ssl_client_certificate a.test.pem;
                        ssl_verify_client on;
                        location / { return 200 "served\n"; }
                    }
                }
                """);
        });

        var log = Path.Combine(dir.Path, "logs", "error.log");
        Assert.Contains("\"ssl_verify_client on\" is not supported", e.Message + (File.Exists(log) ? File.ReadAllText(log) : ""), StringComparison.Ordinal);
    }
}
