using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace NginxLite.Interop.Tests.Http;

/// <summary>The client against tiny loopback socket servers that answer with fixed bytes (or not at all).</summary>
public sealed class RawHttpClientTests
{
    private static RawResponse Exchange(string response, bool head = false, bool answer = true, int timeoutMs = 3000)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            if (answer)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(response));
                socket.Shutdown(SocketShutdown.Both);
            }
            else
            {
                await Task.Delay(timeoutMs * 2);
            }
        });
        var r = RawHttpClient.Send(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), head, TimeSpan.FromMilliseconds(timeoutMs));
        listener.Stop();
        return r;
    }

    [Fact]
    public void Send_ContentLength_ReadsExactlyTheBody()
    {
        var r = Exchange("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhelloEXTRA");

        Assert.Equal(200, r.Status);
        Assert.Equal("1", r.Header("x-a"));
        Assert.Equal("hello", Encoding.UTF8.GetString(r.Body));
    }

    [Fact]
    public void Send_Chunked_Reassembled()
    {
        var r = Exchange("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n");

        Assert.Equal("hello world", Encoding.UTF8.GetString(r.Body));
        Assert.Null(r.Error);
    }

    [Fact]
    public void Send_InterimResponse_Skipped()
    {
        var r = Exchange("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(201, r.Status);
    }

    [Fact]
    public void Send_Head_NoBodyDespiteContentLength()
    {
        var r = Exchange("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", head: true);

        Assert.Equal(200, r.Status);
        Assert.Empty(r.Body);
        Assert.Null(r.Error);
    }

    [Fact]
    public void Send_NoFraming_ReadsUntilClose()
    {
        var r = Exchange("HTTP/1.0 200 OK\r\n\r\nuntil close");

        Assert.Equal("until close", Encoding.UTF8.GetString(r.Body));
    }

    [Fact]
    public void Send_ClosedWithoutResponse_StatusZero()
    {
        var r = Exchange("");

        Assert.Equal(0, r.Status);
        Assert.Equal("connection closed before a complete response head", r.Error);
    }

    [Fact]
    public void Send_ServerSilent_ReportsTimeoutInsteadOfHanging()
    {
        var r = Exchange("", answer: false, timeoutMs: 300);

        Assert.Equal(0, r.Status);
        Assert.StartsWith("no complete response within", r.Error);
    }

    [Fact]
    public void Send_NotHttp_ReportsMalformedWithTheBytes()
    {
        var r = Exchange("<html>HTTP/0.9 style body</html>");

        Assert.Equal(0, r.Status);
        Assert.StartsWith("malformed response", r.Error);
        Assert.Equal("<html>HTTP/0.9 style body</html>", Encoding.UTF8.GetString(r.Body));
    }
}
