using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace NginxLite.Server.Tests;

/// <summary>Per-connection state as nginx keeps it: $connection (serial), $connection_requests, exact $request_length,
/// the error log's *N, and keepalive_requests/keepalive_timeout read from the request's location.</summary>
public partial class ConnectionStateTests
{
    private const string Config = """
        log_format conn '$connection $connection_requests $request_length $status';
        access_log logs/conn.log conn;
        keepalive_timeout 30s;
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            location /v { return 200 "c=$connection n=$connection_requests len=$request_length\n"; }
            location /once { keepalive_requests 1; return 200 "once\n"; }
            location /off { keepalive_timeout 0; return 200 "off\n"; }
            location /short { keepalive_timeout 1s; return 200 "short\n"; }
            location /missing { root html; }
        }
        """;

    /// <summary>A kept-alive client connection: sends raw bytes, reads whole responses (Content-Length framed).</summary>
    private sealed class Client(Socket socket) : IDisposable
    {
        private readonly List<byte> _pending = [];

        public static async Task<Client> ConnectAsync(int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            return new Client(socket);
        }

        public Task SendAsync(string raw) => socket.SendAsync(Encoding.ASCII.GetBytes(raw), SocketFlags.None);

        public async Task<(string Head, string Body)> ReadResponseAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var buffer = new byte[8192];
            while (true)
            {
                var text = Encoding.Latin1.GetString([.. _pending]);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    var head = text[..end];
                    var length = LengthHeader().Match(head) is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0;
                    if (text.Length >= end + 4 + length)
                    {
                        _pending.RemoveRange(0, end + 4 + length);
                        return (head, text.Substring(end + 4, length));
                    }
                }

                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    throw new IOException("connection closed");
                }

                _pending.AddRange(buffer.AsSpan(0, n).ToArray());
            }
        }

        /// <summary>True when the server closed the connection within <paramref name="wait"/>.</summary>
        public async Task<bool> ClosedWithinAsync(TimeSpan wait)
        {
            using var cts = new CancellationTokenSource(wait);
            try
            {
                return await socket.ReceiveAsync(new byte[1], SocketFlags.None, cts.Token) == 0;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }

        public void Dispose() => socket.Dispose();
    }

    [GeneratedRegex(@"Content-Length: (\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex LengthHeader();

    [Fact]
    public async Task Connection_SerialPerConnection_RequestsCountedOnIt()
    {
        await using var s = await TestServer.StartAsync(Config);
        using var a = await Client.ConnectAsync(s.Port);
        using var b = await Client.ConnectAsync(s.Port);
        await a.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var a1 = (await a.ReadResponseAsync()).Body;
        await b.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var b1 = (await b.ReadResponseAsync()).Body;
        await a.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var a2 = (await a.ReadResponseAsync()).Body;

        var ca = ConnectionOf(a1);
        Assert.Equal($"c={ca} n=1 len=36\n", a1);
        Assert.Equal($"c={ca} n=2 len=36\n", a2);
        Assert.NotEqual(ca, ConnectionOf(b1));
        Assert.EndsWith(" n=1 len=36\n", b1, StringComparison.Ordinal);
    }

    private static string ConnectionOf(string body) => body.Split(' ')[0][2..];

    [Fact]
    public async Task RequestLength_HeadBytesAsReceived_PipelinedWithLeadingEmptyLinesAndBodies()
    {
        await using var s = await TestServer.StartAsync(Config);
        using var c = await Client.ConnectAsync(s.Port);
        // 18 + 9 + 19 + 2 = 48 for the POST head (its 7-byte body is discarded, as nginx does, so not counted);
        // the empty line before the second GET is not part of its length (nginx 1.22.1: 28, 48, 57, 47 for such a run)
        await c.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\n"
            + "POST /v HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\nabcdefg"
            + "\r\nGET /v?abc HTTP/1.1\r\nHost: localhost\r\nX-Long-Header-Name: value\r\n\r\n");
        var one = (await c.ReadResponseAsync()).Body;
        var two = (await c.ReadResponseAsync()).Body;
        var three = (await c.ReadResponseAsync()).Body;
        Assert.EndsWith("n=1 len=36\n", one, StringComparison.Ordinal);
        Assert.EndsWith("n=2 len=48\n", two, StringComparison.Ordinal);
        Assert.EndsWith("n=3 len=67\n", three, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorLog_StarN_IsTheConnectionNumber_InNginxsLineFormat()
    {
        await using var s = await TestServer.StartAsync(Config);
        using var c = await Client.ConnectAsync(s.Port);
        await c.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var number = ConnectionOf((await c.ReadResponseAsync()).Body);
        await c.SendAsync("GET /missing/a HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await c.ReadResponseAsync();
        await c.SendAsync("GET /missing/b HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await c.ReadResponseAsync();

        var lines = s.ReadLog("error.log").Split('\n').Where(l => l.Contains("/missing/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        foreach (var (line, name) in lines.Zip(["a", "b"]))
        {
            Assert.Matches(
                $@"^\d{{4}}/\d\d/\d\d \d\d:\d\d:\d\d \[error\] {Environment.ProcessId}#\d+: \*{number} open\(\) "".*/html/missing/{name}"" failed \(2: No such file or directory\), client: 127\.0\.0\.1, server: localhost, request: ""GET /missing/{name} HTTP/1\.1"", host: ""localhost""$",
                line);
        }
    }

    [Fact]
    public async Task AccessLog_ConnectionVariables()
    {
        await using (var s = await TestServer.StartAsync(Config))
        {
            using var c = await Client.ConnectAsync(s.Port);
            await c.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\nGET /v HTTP/1.1\r\nHost: localhost\r\n\r\n");
            var number = ConnectionOf((await c.ReadResponseAsync()).Body);
            await c.ReadResponseAsync();
            await Task.Delay(200);
            Assert.Equal($"{number} 1 36 200\n{number} 2 36 200\n", s.ReadLog("conn.log"));
        }
    }

    [Theory]
    [InlineData("/once")]
    [InlineData("/off")]
    public async Task KeepaliveFromTheLocation_ClosesAfterTheResponse(string path)
    {
        await using var s = await TestServer.StartAsync(Config);
        using var c = await Client.ConnectAsync(s.Port);
        await c.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.DoesNotContain("close", (await c.ReadResponseAsync()).Head, StringComparison.OrdinalIgnoreCase);
        await c.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Contains("Connection: close", (await c.ReadResponseAsync()).Head, StringComparison.OrdinalIgnoreCase);
        Assert.True(await c.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task KeepaliveTimeout_ShorterInTheLocation_ClosesTheIdleConnection()
    {
        await using var s = await TestServer.StartAsync(Config);
        using var shortLived = await Client.ConnectAsync(s.Port);
        using var longLived = await Client.ConnectAsync(s.Port);
        await shortLived.SendAsync("GET /short HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await longLived.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await shortLived.ReadResponseAsync();
        await longLived.ReadResponseAsync();

        Assert.True(await shortLived.ClosedWithinAsync(TimeSpan.FromSeconds(4)));
        Assert.False(await longLived.ClosedWithinAsync(TimeSpan.FromMilliseconds(200)));
        await longLived.SendAsync("GET /v HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Contains("n=2", (await longLived.ReadResponseAsync()).Body, StringComparison.Ordinal);
    }
}
