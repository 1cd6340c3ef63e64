using System.Net;

namespace NginxLite.Server.Tests;

/// <summary>keepalive_requests and the header-buffer directives read from the config.</summary>
public class ConnectionLimitTests
{
    [Fact]
    public async Task KeepaliveRequests_ClosesAfterTheNthRequest()
    {
        await using var s = await TestServer.StartAsync("""
            keepalive_requests 2;
            server { listen 127.0.0.1:PORT; return 200 "ok\n"; }
            """);
        var one = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        var r = await RawResponse.SendAsync(new IPEndPoint(IPAddress.Loopback, s.Port), one + one + one);

        Assert.Equal(200, r.Status);
        Assert.Equal(2, r.Body.Split("HTTP/1.1 200").Length); // the first response's body holds the second response, then the close
        Assert.Contains("Connection: close", r.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LargeClientHeaderBuffers_FromConfig_LimitLinesAndHead()
    {
        await using var s = await TestServer.StartAsync("""
            large_client_header_buffers 2 1k;
            server { listen 127.0.0.1:PORT; return 200 "ok\n"; }
            """);

        Assert.Equal(200, (await s.SendAsync("/" + new string('a', 900))).Status);
        Assert.Equal(414, (await s.SendAsync("/" + new string('a', 1100))).Status);
        var header = await s.SendAsync("/", "GET", "localhost", "X-Big: " + new string('b', 1100));
        Assert.Equal(400, header.Status);
        Assert.Contains("Request Header Or Cookie Too Large", header.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientHeaderBufferSize_Larger_RaisesTheLineLimit()
    {
        await using var s = await TestServer.StartAsync("""
            large_client_header_buffers 2 1k;
            client_header_buffer_size 4k;
            server { listen 127.0.0.1:PORT; return 200 "ok\n"; }
            """);

        Assert.Equal(200, (await s.SendAsync("/" + new string('a', 2000))).Status);
    }

    private const string HostSelected = """
        server { listen 127.0.0.1:PORT default_server; large_client_header_buffers 2 1k; return 200 "default\n"; }
        server { listen 127.0.0.1:PORT; server_name big; large_client_header_buffers 4 16k; underscores_in_headers on;
                 return 200 "big $http_x_under_score\n"; }
        """;

    // nginx 1.22.1: header lines after Host use the selected server's buffers and header rules; lines before it, the
    // default server's (answers checked against nginx: 200, 400, "big yes", "big ", 400, 400).
    [Fact]
    public async Task HeaderBuffers_OfTheServerTheHostSelects_ApplyAfterTheHostLine()
    {
        await using var s = await TestServer.StartAsync(HostSelected);
        var endpoint = new IPEndPoint(IPAddress.Loopback, s.Port);
        var big = new string('x', 5000);

        Assert.Equal(200, (await RawResponse.SendAsync(endpoint, $"GET / HTTP/1.1\r\nHost: big\r\nX-Big: {big}\r\nConnection: close\r\n\r\n")).Status);
        Assert.Equal(400, (await RawResponse.SendAsync(endpoint, $"GET / HTTP/1.1\r\nX-Big: {big}\r\nHost: big\r\nConnection: close\r\n\r\n")).Status);
        Assert.Equal("big yes\n", (await RawResponse.SendAsync(endpoint, "GET / HTTP/1.1\r\nHost: big\r\nX_Under_Score: yes\r\nConnection: close\r\n\r\n")).Body);
        Assert.Equal("big \n", (await RawResponse.SendAsync(endpoint, "GET / HTTP/1.1\r\nX_Under_Score: yes\r\nHost: big\r\nConnection: close\r\n\r\n")).Body);
        Assert.Equal(400, (await RawResponse.SendAsync(endpoint, $"GET / HTTP/1.1\r\nHost: big\r\nX-Big: {new string('x', 20000)}\r\nConnection: close\r\n\r\n")).Status);
        Assert.Equal(400, (await RawResponse.SendAsync(endpoint, $"GET / HTTP/1.1\r\nHost: other\r\nX-Big: {new string('x', 1500)}\r\nConnection: close\r\n\r\n")).Status);
    }
}
