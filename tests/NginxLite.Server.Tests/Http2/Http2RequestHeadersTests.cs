using System.Net;
using System.Net.Http;
using NginxLite.Server.Http;

namespace NginxLite.Server.Tests.Http2;

/// <summary>nginx's HTTP/2 header-name rules (ngx_http_v2_validate_header) and a cleartext HTTP/2 socket served in
/// process: the engine's X-NginxLite-* markers sent by a client are never honoured, since HTTP/2 skips the head filter.</summary>
public sealed class Http2RequestHeadersTests
{
    [Theory]
    [InlineData("x-forwarded-for", false, true)]
    [InlineData("User-Agent", false, true)]
    [InlineData("x9", false, true)]
    [InlineData("x_y", false, false)]
    [InlineData("x_y", true, true)]
    [InlineData("x.y", true, false)]
    [InlineData("x~y", false, false)]
    public void Http2RequestHeaders_Name_ValidAsNginx(string name, bool underscores, bool valid) =>
        Assert.Equal(valid, Http2RequestHeaders.IsValidName(name, underscores));

    [Fact]
    public async Task Http2RequestHeaders_ClientSendsEngineMarkers_IgnoredAndDropped()
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

    [Theory]
    [InlineData("TRACE", "", 405)]
    [InlineData("GET", "Authorization", 400)]
    [InlineData("GET", "If-Modified-Since", 400)]
    [InlineData("GET", "Accept", 0)]
    [InlineData("GET", "", 0)]
    public void Http2RequestHeaders_Reject_AsNginx(string method, string twice, int status)
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary { ["Host"] = "a.test" };
        if (twice.Length > 0)
        {
            headers[twice] = new Microsoft.Extensions.Primitives.StringValues(["a", "b"]);
        }

        Assert.Equal(status, Http2RequestHeaders.Reject(method, headers, out var reason));
        Assert.Equal(status != 0, reason is not null);
    }

    [Fact]
    public async Task Http2RequestHeaders_TraceOverH2c_405()
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
