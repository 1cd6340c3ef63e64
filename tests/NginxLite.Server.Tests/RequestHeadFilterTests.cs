using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Server.Tests;

/// <summary>The connection filter in front of Kestrel: nginx's answers for requests Kestrel parses differently.</summary>
public class RequestHeadFilterTests
{
    private const string Config = """
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            server_tokens off;
            location = /hello { return 200 "hello"; }
            location = /host { return 200 "$host"; }
        }
        """;

    private static async Task<string> ExchangeAsync(int port, string request)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes(request), SocketFlags.None, cts.Token);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token)) > 0)
        {
            buffer.Write(chunk, 0, n);
        }

        return Encoding.Latin1.GetString(buffer.ToArray());
    }

    [Fact]
    public async Task PipelinedRequests_AfterChunkedAndLengthBodies_AreEachAnswered()
    {
        await using var s = await TestServer.StartAsync(Config);
        var text = await ExchangeAsync(s.Port,
            "POST /hello HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nTrailer: 1\r\n\r\n" +
            "POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc" +
            "GET /host HTTP/1.9\r\nHost: localhost:abc\r\nConnection: close\r\n\r\n");
        Assert.Equal(3, text.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.EndsWith("\r\n\r\nlocalhost", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http09_GetsTheBodyOnly()
    {
        await using var s = await TestServer.StartAsync(Config);
        Assert.Equal("hello", await ExchangeAsync(s.Port, "GET /hello\r\n"));
    }

    [Theory]
    [InlineData("GET /hello HTTP/1.1\r\n\r\n", "400 Bad Request")]
    [InlineData("GET /hello HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n", "501 Not Implemented")]
    [InlineData("GET /hello HTTP/3.0\r\nHost: localhost\r\n\r\n", "505 HTTP Version Not Supported")]
    public async Task Rejections_HaveNginxPages(string request, string title)
    {
        await using var s = await TestServer.StartAsync(Config);
        var text = await ExchangeAsync(s.Port, request);
        Assert.StartsWith("HTTP/1.1 " + title, text, StringComparison.Ordinal);
        Assert.Contains($"<head><title>{title}</title></head>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLargeHeader_Is400WithTheRequestHeaderPage()
    {
        await using var s = await TestServer.StartAsync(Config);
        var text = await ExchangeAsync(s.Port, "GET /hello HTTP/1.1\r\nHost: localhost\r\nCookie: " + new string('c', 9000) + "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400 Bad Request", text, StringComparison.Ordinal);
        Assert.Contains("<center>Request Header Or Cookie Too Large</center>", text, StringComparison.Ordinal);
    }
}
