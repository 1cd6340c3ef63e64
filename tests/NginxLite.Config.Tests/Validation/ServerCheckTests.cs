using Xunit;

namespace NginxLite.Config.Tests.Validation;

public class ServerCheckTests
{
    private const string F = TestTree.File;

    [Fact]
    public void Listen_NotAPortNorAHost_HostNotFound()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  server { listen 80x; }\n}");
        Assert.Equal([$"[emerg] host not found in \"80x\" of the \"listen\" directive in {F}:3"], messages);
    }

    [Theory]
    [InlineData("127.0.0.1:80x", "invalid port in \"127.0.0.1:80x\" of the \"listen\" directive")]
    [InlineData("70000", "invalid port in \"70000\" of the \"listen\" directive")]
    [InlineData("127.0.0.1:8443 ssl spdy", "invalid parameter \"spdy\"")]
    public void Listen_BadValues_MatchNginx(string listen, string error)
    {
        var messages = CheckRunner.Run($"events {{}} http {{ server {{ listen {listen}; ssl_certificate /etc/hostname; }} }}", checkEnvironment: false);
        Assert.Equal([$"[emerg] {error} in {F}:1"], messages);
    }

    [Fact]
    public void Listen_TwoDefaultServers_ReportedAtSecondListenBeforeLaterErrors()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server { listen 127.0.0.1:8081 default_server; }
              server { listen 127.0.0.1:8081 default_server; }
              server { listen 127.0.0.1:8082; location / {} location / {} }
            }
            """);
        Assert.Equal(
            [
                $"[emerg] a duplicate default server for 127.0.0.1:8081 in {F}:4",
                $"[emerg] duplicate location \"/\" in {F}:5",
                "[warn] conflicting server name \"\" on 127.0.0.1:8081, ignored",
            ],
            messages);
    }

    [Fact]
    public void Listen_SameAddressTwiceInOneServer_DuplicateListen()
    {
        var messages = CheckRunner.Run("events {} http { server { listen 8443; listen 8443 backlog=5; } }");
        Assert.Equal([$"[emerg] a duplicate listen 0.0.0.0:8443 in {F}:1"], messages);
    }

    [Fact]
    public void ServerName_SameNameOnSameAddress_WarnsWithoutPosition()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server { listen 127.0.0.1:8081; server_name a.test; }
              server { listen 127.0.0.1:8081; server_name A.test; }
              server { server_name .b.test; }
              server { server_name *.b.test; }
            }
            """);
        Assert.Equal(
            [
                "[warn] conflicting server name \"a.test\" on 127.0.0.1:8081, ignored",
                "[warn] conflicting server name \"*.b.test\" on 0.0.0.0:80, ignored",
            ],
            messages);
    }

    [Fact]
    public void Ssl_ListenSslWithoutCertificate_ReportedAtServerLine()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server {
                listen 127.0.0.1:8443 ssl;
              }
            }
            """);
        Assert.Equal([$"[emerg] no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive in {F}:3"], messages);
    }

    [Fact]
    public void Ssl_MissingCertificateFile_OpenSslMessageWithoutPosition()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server { listen 127.0.0.1:8443 ssl; ssl_certificate /nonexistent/c.pem; ssl_certificate_key /nonexistent/k.pem; }
            }
            """);
        Assert.Equal(
            ["[emerg] cannot load certificate \"/nonexistent/c.pem\": BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory:calling fopen(/nonexistent/c.pem, r) error:10000080:BIO routines::no such file)"],
            messages);
    }

    [Fact]
    public void Ssl_DeprecatedDirective_Warns()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  server { listen 8081; ssl on; }\n}", checkEnvironment: false);
        Assert.Equal(
            [
                $"[warn] the \"ssl\" directive is deprecated, use the \"listen ... ssl\" directive instead in {F}:3",
                $"[emerg] no \"ssl_certificate\" is defined for the \"ssl\" directive in {F}:3",
            ],
            messages);
    }

    [Fact]
    public void Types_DuplicateExtension_WarnsAtLine()
    {
        var messages = CheckRunner.Run("events {}\nhttp {\n  types { text/html html; text/plain HTML; }\n}");
        Assert.Equal([$"[warn] duplicate extension \"html\", content type: \"text/plain\", previous content type: \"text/html\" in {F}:3"], messages);
    }
}
