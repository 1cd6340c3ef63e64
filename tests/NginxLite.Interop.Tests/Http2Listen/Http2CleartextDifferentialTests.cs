using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.TlsListen;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Http2Listen;

/// <summary>
/// <c>listen … http2</c> without ssl (HTTP/2 with prior knowledge, as nginx 1.22 serves it), an HTTP/1 client on such a
/// port and on an <c>ssl http2</c> port, and fastcgi_pass to php-fpm from an HTTP/2 request: nginx 1.22.1 and
/// nginxlite on the same config give the same answer.
/// </summary>
public sealed class Http2CleartextDifferentialTests
{
    private static string Config(int port, string extra = "") => $$"""
        pid logs/h2c.pid;
        events { }
        http {
            access_log off;
            server {
                listen 127.0.0.1:{{port}} http2;
                location / { return 200 "$server_protocol|$http2|$https|[$ssl_protocol]|$host|$request\n"; }
                {{extra}}
            }
        }
        """;

    [Fact]
    public void Http2Listen_CleartextPriorKnowledge_SameAnswerAsNginx()
    {
        using var dir = new TempDir();
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir("nginx") + "/", p => Config(p));
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Dir("lite") + "/", p => Config(p));
        var a = H2Get.Send(nginx.Port, "127.0.0.1", "/x?y=1", tls: false);
        var b = H2Get.Send(lite.Port, "127.0.0.1", "/x?y=1", tls: false);

        Assert.True(b.Error is null, $"nginxlite: {b.Error}\n{lite.Describe()}");
        Assert.Equal((200, HttpVersion.Version20), (a.Status, a.Version));
        Assert.Equal((a.Status, a.Version), (b.Status, b.Version));
        Assert.Equal(
            Http2ListenDifferentialTests.Normalize(a.Body, nginx.Port),
            Http2ListenDifferentialTests.Normalize(b.Body, lite.Port));
        Assert.Equal("HTTP/2.0|h2c||[]|127.0.0.1|GET /x?y=1 HTTP/2.0\n", b.Body);
    }

    [Fact]
    public void Http2Listen_Http1RequestOnCleartextPort_SameRefusalBytesAsNginx()
    {
        using var dir = new TempDir();
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir("nginx") + "/", p => Config(p));
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Dir("lite") + "/", p => Config(p));
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");

        var a = SendAndReadToEnd(nginx.Port, request);
        var b = SendAndReadToEnd(lite.Port, request);

        // nginx 1.22 reads the bytes as a connection preface: SETTINGS, WINDOW_UPDATE, GOAWAY(PROTOCOL_ERROR), close
        Assert.Equal(0x07, a[^14]);
        Assert.Equal(Convert.ToHexString(a), Convert.ToHexString(b));
    }

    [Fact]
    public void Http2Listen_PlainHttp1OnSslHttp2Port_HttpsAndPlainAnsweredAsNginx()
    {
        using var pair = new TlsServerPair(p => $$"""
            pid logs/tls.pid;
            events { }
            http {
                access_log off;
                ssl_certificate a.test.pem;
                ssl_certificate_key a.test.key;
                server {
                    listen 127.0.0.1:{{p}} ssl http2;
                    location / { return 200 "$server_protocol $http2 $https\n"; }
                }
            }
            """);

        // HTTP/1.1 over TLS (ALPN offers only http/1.1) still works on an http2 socket
        var nginx = HttpsGet.Send(pair.Nginx.Port, "a.test", "/");
        var lite = HttpsGet.Send(pair.NginxLite.Port, "a.test", "/");
        Assert.Equal((200, "HTTP/1.1  on\n"), (nginx.Status, nginx.Body));
        Assert.Equal((nginx.Status, nginx.Body), (lite.Status, lite.Body));

        // plain HTTP/1.1 on it: nginx's 400 "plain HTTP request was sent to HTTPS port" page
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
        var plainNginx = RawHttpClient.Send(pair.Nginx.Port, request, false, TimeSpan.FromSeconds(5));
        var plainLite = RawHttpClient.Send(pair.NginxLite.Port, request, false, TimeSpan.FromSeconds(5));
        Assert.Equal(400, plainNginx.Status);
        Assert.Equal(plainNginx.StatusLine, plainLite.StatusLine);
        Assert.Contains("The plain HTTP request was sent to HTTPS port", Encoding.ASCII.GetString(plainLite.Body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-X", "TRACE")]
    [InlineData("-H", "Authorization: b")]
    [InlineData("-H", "If-Modified-Since: b")]
    public void Http2Listen_RequestNginxRejects_SameStatusAsNginx(string option, string value)
    {
        using var dir = new TempDir();
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir("nginx") + "/", p => Config(p));
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Dir("lite") + "/", p => Config(p));

        // curl (nghttp2) sends a repeated header as two fields, which .NET's client would join
        string Status(int port)
        {
            List<string> args = ["-s", "--http2-prior-knowledge", "-m", "10", "-o", "/dev/null", "-w", "%{http_code} %{http_version}"];
            if (option == "-H")
            {
                args.AddRange(["-H", value.Replace(": b", ": a", StringComparison.Ordinal)]);
            }

            args.AddRange([option, value, $"http://127.0.0.1:{port}/"]);
            var psi = new System.Diagnostics.ProcessStartInfo("curl", args) { RedirectStandardOutput = true };
            using var curl = System.Diagnostics.Process.Start(psi)!;
            var output = curl.StandardOutput.ReadToEnd();
            Assert.True(curl.WaitForExit(20_000));
            return output;
        }

        var expected = option == "-X" ? "405 2" : "400 2";
        Assert.Equal(expected, Status(nginx.Port));
        Assert.Equal(expected, Status(lite.Port));
    }

    [Fact]
    public void Http2Listen_FastCgiFromH2Request_SameParamsAsNginx()
    {
        using var dir = new TempDir("nginxlite-h2-fcgi-");
        var www = dir.Dir("www");
        Backends.WritePhpScripts(www);
        using var fpm = Backends.StartPhpFpm(dir);
        string Site(int p) => PhpSite(p, www, fpm.Socket, "fastcgi_param X_HTTP2 $http2; fastcgi_param X_SSL_PROTOCOL $ssl_protocol;");
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir("nginx") + "/", Site);
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Dir("lite") + "/", Site);
        var body = Encoding.ASCII.GetBytes("name=value&other=1");
        var a = H2Get.Send(nginx.Port, "127.0.0.1", "/dump.php?q=1", tls: false, method: System.Net.Http.HttpMethod.Post, body: body,
            headers: [("x-custom", "yes")]);
        var b = H2Get.Send(lite.Port, "127.0.0.1", "/dump.php?q=1", tls: false, method: System.Net.Http.HttpMethod.Post, body: body,
            headers: [("x-custom", "yes")]);

        Assert.True(b.Error is null, $"nginxlite: {b.Error}\n{lite.Describe()}");
        Assert.Equal((200, HttpVersion.Version20), (a.Status, a.Version));
        Assert.Equal((a.Status, a.Version), (b.Status, b.Version));
        string[] keys = ["SERVER_PROTOCOL", "REQUEST_METHOD", "QUERY_STRING", "CONTENT_LENGTH", "HTTP_X_CUSTOM", "X_HTTP2",
            "X_SSL_PROTOCOL", "HTTPS", "BODY_LENGTH", "BODY_MD5", "SCRIPT_NAME"];
        Assert.Equal(Params(a.Body, keys), Params(b.Body, keys));
        Assert.Contains("SERVER_PROTOCOL=HTTP/2.0", Params(b.Body, keys));
        Assert.Contains("X_HTTP2=h2c", Params(b.Body, keys));
        Assert.Contains($"BODY_LENGTH={body.Length}", Params(b.Body, keys));
    }

    [Fact]
    public void Http2Listen_FastCgiBodyWithoutLength_SameParamsAsNginx()
    {
        using var dir = new TempDir("nginxlite-h2-fcgi-");
        var www = dir.Dir("www");
        Backends.WritePhpScripts(www);
        using var fpm = Backends.StartPhpFpm(dir);
        string Site(int p) => PhpSite(p, www, fpm.Socket);
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir("nginx") + "/", Site);
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Dir("lite") + "/", Site);

        // a body of unknown length: DATA frames without a content-length header
        var body = Encoding.ASCII.GetBytes(new string('b', 70_000));
        var a = H2Get.Send(nginx.Port, "127.0.0.1", "/dump.php", tls: false, method: System.Net.Http.HttpMethod.Post, body: body, unknownLength: true);
        var b = H2Get.Send(lite.Port, "127.0.0.1", "/dump.php", tls: false, method: System.Net.Http.HttpMethod.Post, body: body, unknownLength: true);

        Assert.True(b.Error is null, $"nginxlite: {b.Error}\n{lite.Describe()}");
        Assert.Equal((200, HttpVersion.Version20), (a.Status, a.Version));
        Assert.Equal(a.Status, b.Status);
        string[] keys = ["CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING", "HTTP_CONTENT_LENGTH", "BODY_LENGTH", "BODY_MD5"];
        Assert.Equal(Params(a.Body, keys), Params(b.Body, keys));
        Assert.Contains($"BODY_LENGTH={body.Length}", Params(b.Body, keys));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Http2Listen_UwsgiFromH2Request_SameEnvironAsNginx(bool unknownLength)
    {
        using var dir = new TempDir("nginxlite-h2-uwsgi-");
        var app = dir.File("echo.py", Backends.EchoWsgi);
        using var uwsgi = Backends.StartUwsgi(dir, app);
        string Site(int p) => Config(p, $$"""
            location /app/ {
                uwsgi_pass unix:{{uwsgi.Socket}};
                include {{RepoPaths.Conf}}/uwsgi_params;
                uwsgi_param X_HTTP2 $http2;
            }
            """);
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir("nginx") + "/", Site);
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Dir("lite") + "/", Site);
        var body = Encoding.ASCII.GetBytes(new string('u', 20_000));
        var a = H2Get.Send(nginx.Port, "127.0.0.1", "/app/x?y=1", tls: false, method: System.Net.Http.HttpMethod.Put, body: body, unknownLength: unknownLength);
        var b = H2Get.Send(lite.Port, "127.0.0.1", "/app/x?y=1", tls: false, method: System.Net.Http.HttpMethod.Put, body: body, unknownLength: unknownLength);

        Assert.True(b.Error is null, $"nginxlite: {b.Error}\n{lite.Describe()}");
        Assert.Equal((200, HttpVersion.Version20), (a.Status, a.Version));
        Assert.Equal(a.Status, b.Status);
        string[] keys = ["SERVER_PROTOCOL", "REQUEST_METHOD", "QUERY_STRING", "CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING", "X_HTTP2",
            "BODY_LENGTH", "BODY_MD5"];
        Assert.Equal(Params(a.Body, keys), Params(b.Body, keys));
        Assert.Contains($"BODY_LENGTH={body.Length}", Params(b.Body, keys));
    }

    // The php-fpm location of the fastcgi tests (the scripts of Backends.WritePhpScripts under www), with their own
    // fastcgi_param lines.
    private static string PhpSite(int port, string www, string fpmSocket, string fastcgiParams = "") => Config(port, $$"""
        location ~ \.php$ {
            root {{www}};
            fastcgi_pass unix:{{fpmSocket}};
            include {{RepoPaths.Conf}}/fastcgi.conf;
            {{fastcgiParams}}
        }
        """);

    private static List<string> Params(string dump, string[] keys) =>
        [.. dump.Split('\n').Where(l => keys.Any(k => l.StartsWith(k + "=", StringComparison.Ordinal))).Order(StringComparer.Ordinal)];

    private static byte[] SendAndReadToEnd(int port, byte[] request)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect(IPAddress.Loopback, port);
        socket.Send(request);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = socket.Receive(buffer)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException)
        {
            // a reset after the GOAWAY ends the reply as well
        }

        return received.ToArray();
    }
}
