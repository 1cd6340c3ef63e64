using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Server.Tests.Proxy;

/// <summary>Upgrade passthrough (WebSocket's handshake) when the config sends Upgrade/Connection on.</summary>
public class UpgradeTests
{
    [Fact]
    public async Task Upgrade_101_ThenBytesFlowBothWays()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var seenHead = new TaskCompletionSource<string>();
        var backend = Task.Run(async () =>
        {
            using var s = await listener.AcceptSocketAsync();
            var head = await ReadHeadAsync(s);
            seenHead.SetResult(head);
            await s.SendAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: abc\r\n\r\n"u8.ToArray());
            var buffer = new byte[64];
            var n = await s.ReceiveAsync(buffer);
            await s.SendAsync(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(buffer, 0, n).ToUpperInvariant()));
        });
        await using var server = await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                location /ws/ {
                    proxy_pass http://127.0.0.1:{{port}};
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection "upgrade";
                }
            }
            """);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        await client.SendAsync("GET /ws/chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: k\r\n\r\n"u8.ToArray());
        var response = await ReadHeadAsync(client);
        Assert.True(response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal), response + "\n" + server.ReadLog("error.log") + "\nupstream saw: " + (seenHead.Task.IsCompleted ? await seenHead.Task : "nothing"));
        Assert.Contains("Sec-WebSocket-Accept: abc", response);
        var upstreamHead = await seenHead.Task;
        Assert.Contains("Upgrade: websocket", upstreamHead);
        Assert.Contains("Connection: upgrade", upstreamHead);
        Assert.StartsWith("GET /ws/chat HTTP/1.1", upstreamHead);

        await client.SendAsync("ping"u8.ToArray());
        var echo = new byte[16];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var n = await client.ReceiveAsync(echo, SocketFlags.None, cts.Token);
        Assert.Equal("PING", Encoding.ASCII.GetString(echo, 0, n));
        await backend;
    }

    private static async Task<string> ReadHeadAsync(Socket socket)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(one, SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (n == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
