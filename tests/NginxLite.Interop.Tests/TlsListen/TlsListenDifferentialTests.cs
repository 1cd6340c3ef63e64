using System.Security.Authentication;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.TlsListen;

/// <summary>
/// <c>listen … ssl</c> under real nginx 1.22.1 and nginxlite with the same config: two servers on one TLS socket, each
/// with its own self-signed certificate (http-level default, server-level override, paths relative to the config
/// file's directory). The same HTTPS requests get the same status and body, and each presents the certificate
/// configured for the name sent in SNI (the default server's when the name is unknown or absent).
/// </summary>
public sealed class TlsListenDifferentialTests
{
    internal static string Config(int port, string extra = "") => $$"""
        pid logs/tls.pid;
        events { }
        http {
            access_log off;
            ssl_certificate a.test.pem;
            ssl_certificate_key a.test.key;
            {{extra}}
            server {
                listen 127.0.0.1:{{port}} ssl;
                server_name a.test;
                location / { return 200 "$scheme $https $server_name $server_port\n"; }
                location = /r { return 302 /x; }
                location = /fwd { proxy_set_header X-Forwarded-Proto $scheme; proxy_pass https://127.0.0.1:{{port}}/echo; }
                location = /echo { return 200 "$http_x_forwarded_proto\n"; }
            }
            server {
                listen 127.0.0.1:{{port}} ssl;
                server_name b.test;
                ssl_certificate b.test.pem;
                ssl_certificate_key b.test.key;
                location / { return 200 "$scheme $https $server_name $server_port\n"; }
            }
        }
        """;

    [Theory]
    [InlineData("a.test", "a.test")]
    [InlineData("b.test", "b.test")]
    [InlineData("unknown.test", "a.test")]
    [InlineData("127.0.0.1", "a.test")]
    public void TlsListen_HttpsRequestBySni_SameAnswerAndConfiguredCertificate(string host, string certificateOf)
    {
        using var pair = new TlsServerPair(p => Config(p));
        foreach (var path in new[] { "/", "/r", "/fwd" })
        {
            var nginx = HttpsGet.Send(pair.Nginx.Port, host, path);
            var lite = HttpsGet.Send(pair.NginxLite.Port, host, path);

            Assert.True(nginx.Error is null, $"nginx: {nginx.Error}");
            Assert.True(lite.Error is null, $"nginxlite: {lite.Error}\n{pair.NginxLite.Describe()}");
            Assert.Equal(nginx.Status, lite.Status);
            Assert.Equal(Normalize(nginx.Body, pair.Nginx.Port), Normalize(lite.Body, pair.NginxLite.Port));
            Assert.Equal(Normalize(nginx.Location, pair.Nginx.Port), Normalize(lite.Location, pair.NginxLite.Port));
            Assert.Equal(pair.Certificate(certificateOf).Thumbprint, nginx.Thumbprint);
            Assert.Equal(pair.Certificate(certificateOf).Thumbprint, lite.Thumbprint);
        }

        Assert.StartsWith("https on ", HttpsGet.Send(pair.NginxLite.Port, host, "/").Body, StringComparison.Ordinal);
        if (certificateOf == "a.test")
        {
            // proxy_set_header X-Forwarded-Proto $scheme, to this same TLS socket (its default server echoes it)
            Assert.Equal("https\n", HttpsGet.Send(pair.NginxLite.Port, host, "/fwd").Body);
        }
    }

    [Fact]
    public void TlsListen_PlainHttpRequest_AnsweredWithNginxs400Page()
    {
        using var pair = new TlsServerPair(p => Config(p));
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
        var nginx = RawHttpClient.Send(pair.Nginx.Port, request, false, TimeSpan.FromSeconds(5));
        var lite = RawHttpClient.Send(pair.NginxLite.Port, request, false, TimeSpan.FromSeconds(5));

        Assert.Equal(400, nginx.Status);
        Assert.Equal(nginx.StatusLine, lite.StatusLine);
        Assert.Equal(nginx.Header("Connection"), lite.Header("Connection"));
        Assert.Equal(nginx.Header("Content-Type"), lite.Header("Content-Type"));
        var nginxBody = Encoding.ASCII.GetString(nginx.Body).Replace("nginx/1.22.1", "SERVER", StringComparison.Ordinal);
        var liteBody = Encoding.ASCII.GetString(lite.Body).Replace("nginxlite/0.1.0", "SERVER", StringComparison.Ordinal);
        Assert.Contains("The plain HTTP request was sent to HTTPS port", nginxBody, StringComparison.Ordinal);
        Assert.Equal(nginxBody, liteBody);
    }

    [Fact]
    public void TlsListen_DeprecatedSslOnInDefaultServer_SocketIsTls()
    {
        using var pair = new TlsServerPair(p => $$"""
            pid logs/tls.pid;
            events { }
            http {
                access_log off;
                server {
                    listen 127.0.0.1:{{p}};
                    ssl on;
                    ssl_certificate b.test.pem;
                    ssl_certificate_key b.test.key;
                    location / { return 200 "$scheme $https\n"; }
                }
            }
            """);
        var nginx = HttpsGet.Send(pair.Nginx.Port, "b.test", "/");
        var lite = HttpsGet.Send(pair.NginxLite.Port, "b.test", "/");

        Assert.Equal((200, "https on\n"), (nginx.Status, nginx.Body));
        Assert.Equal((nginx.Status, nginx.Body), (lite.Status, lite.Body));
        Assert.Equal(pair.Certificate("b.test").Thumbprint, lite.Thumbprint);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public void TlsListen_SslProtocolsTls13Only_SameHandshakeOutcome(SslProtocols client)
    {
        using var pair = new TlsServerPair(p => Config(p, "ssl_protocols TLSv1.3;"));
        var nginx = HttpsGet.Send(pair.Nginx.Port, "a.test", "/", client);
        var lite = HttpsGet.Send(pair.NginxLite.Port, "a.test", "/", client);

        Assert.Equal(client == SslProtocols.Tls13 ? 200 : 0, nginx.Status);
        Assert.Equal(nginx.Status, lite.Status);
        Assert.Equal(Normalize(nginx.Body, pair.Nginx.Port), Normalize(lite.Body, pair.NginxLite.Port));
    }

    /// <summary>The parts that differ by design: the port each server got and the product token of the error pages.</summary>
    private static string? Normalize(string? text, int port) => text?
        .Replace(port.ToString(System.Globalization.CultureInfo.InvariantCulture), "PORT", StringComparison.Ordinal)
        .Replace("nginxlite/0.1.0", "SERVER", StringComparison.Ordinal)
        .Replace("nginx/1.22.1", "SERVER", StringComparison.Ordinal);
}
