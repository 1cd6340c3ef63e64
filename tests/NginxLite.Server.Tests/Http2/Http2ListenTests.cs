using System.Net;
using System.Net.Http;

namespace NginxLite.Server.Tests.Http2;

/// <summary>A cleartext <c>listen … http2</c> socket served in process (prior knowledge, .NET's HTTP/2 client): the
/// engine's X-NginxLite-* markers sent by a client are never honoured (HTTP/2 skips the head filter that strips them on
/// HTTP/1), TRACE is refused as nginx refuses it, and a reload that adds <c>http2</c> reopens the socket.</summary>
public sealed class Http2ListenTests
{
    [Fact]
    public async Task Http2Listen_ClientSendsEngineMarkers_IgnoredAndDropped()
    {
        await using var server = await TestServer.StartAsync("""
            server {
                listen 127.0.0.1:PORT http2;
                server_name a.test;
                location / { return 200 "$server_protocol|$http2|$host|$request_uri|[$http_x_nginxlite_host][$http_x_a_b][$http_x_ok]\n"; }
            }
            server {
                listen 127.0.0.1:PORT http2;
                server_name u.test;
                underscores_in_headers on;
                location / { return 200 "u|$http_x_a_b\n"; }
            }
            """);
        using var client = new HttpClient();
        async Task<(HttpStatusCode, string)> Get(string authority, params (string, string)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}/p?q")
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.Host = authority;
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpVersion.Version20, response.Version);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var (status, body) = await Get("a.test", ("X-NginxLite-Host", "u.test"), ("X-NginxLite-Target", "/other"),
            ("X-NginxLite-Reject", "400"), ("x_a_b", "1"), ("x-ok", "2"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("HTTP/2.0|h2c|a.test|/p?q|[][][2]\n", body);

        // underscores_in_headers of the server the Host selects
        Assert.Equal((HttpStatusCode.OK, "u|1\n"), await Get("u.test", ("x_a_b", "1")));
    }

    [Fact]
    public async Task Http2Listen_TraceOverH2c_405()
    {
        await using var server = await TestServer.StartAsync("""
            server {
                listen 127.0.0.1:PORT http2;
                location / { return 200 "ok\n"; }
            }
            """);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Trace, $"http://127.0.0.1:{server.Port}/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Http2Listen_ReloadAddsHttp2_SocketReopenedSpeakingH2c()
    {
        await using var server = await TestServer.StartAsync("""
            server {
                listen 127.0.0.1:PORT;
                location / { return 200 "$server_protocol\n"; }
            }
            """);
        Assert.Equal("HTTP/1.1\n", (await server.SendAsync("/")).Body);

        var text = $"events {{}}\nhttp {{ server {{ listen 127.0.0.1:{server.Port} http2; location / {{ return 200 \"$server_protocol $http2\\n\"; }} }} }}";
        var load = Routing.Compilation.RouteTableLoader.LoadText(text, server.Prefix);
        await server.Server.ReloadAsync(load.Table!);

        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        Assert.Equal("HTTP/2.0 h2c\n", await response.Content.ReadAsStringAsync());
    }
}
