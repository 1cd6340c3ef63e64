using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// Idle keep-alive connections held open after one request each (keepalive_timeout's default 75 s is far away):
/// NGINXLITE_IDLE_CONNECTIONS of them (default 2,000; the 10,000 runs outside CI). The server's RSS growth per
/// connection (/proc/PID/status) is printed; asserted is only that every connection was accepted and answered, stays
/// open, and that the server still answers a new client.
/// </summary>
public sealed class IdleKeepaliveTests(ITestOutputHelper output)
{
    [Fact]
    public void IdleKeepalive_ThousandsOfConnections_AreAllHeldAndTheServerStillAnswers()
    {
        var count = LoadSize.FromEnvironment("NGINXLITE_IDLE_CONNECTIONS", 2000);
        using var site = new HostileSite();
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, site.NewPrefix("idle"),
            port => site.Config(port, FreePort.Next(), FreePort.Next(), workerConnections: count + 1024));

        // warm up (JIT, pools) so the baseline is a serving server, not a cold one
        for (var i = 0; i < 50; i++)
        {
            PathTraversalTests.Get(server.Port, "/index.html");
        }

        var before = ServerMemory.RssBytes(server.Pid);
        var sockets = new List<Socket>(count);
        var request = "GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray();
        var answered = 0;
        try
        {
            var buffer = new byte[4096];
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
                sockets.Add(socket);
                socket.Connect(IPAddress.Loopback, server.Port);
                socket.Send(request);
                var n = socket.Receive(buffer);
                if (n > 0 && Encoding.ASCII.GetString(buffer, 0, n).StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                {
                    answered++;
                }
            }

            Thread.Sleep(1000);
            var after = ServerMemory.RssBytes(server.Pid);
            var stillOpen = sockets.Count(s => !s.Poll(0, SelectMode.SelectRead));
            var fresh = PathTraversalTests.Get(server.Port, "/index.html");
            output.WriteLine($"idle keep-alive connections: {count}; answered {answered}; still open {stillOpen}");
            output.WriteLine($"server RSS {before / 1048576.0:0.0} MiB -> {after / 1048576.0:0.0} MiB: {(after - before) / (double)count / 1024:0.00} KiB per connection");

            Assert.Equal(count, answered);
            Assert.Equal(count, stillOpen);
            Assert.True(fresh.Status == 200, "a new client while the idle connections are held: " + fresh.Describe());
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Dispose();
            }
        }
    }
}
