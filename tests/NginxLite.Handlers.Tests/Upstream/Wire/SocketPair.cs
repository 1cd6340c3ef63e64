using System.Net.Sockets;

namespace NginxLite.Handlers.Tests.Upstream.Wire;

/// <summary>A connected pair of Unix stream sockets in a temp dir: the "upstream" end the test drives and the
/// "server" end the code under test uses (a real socket, no mock).</summary>
internal sealed class SocketPair : IDisposable
{
    private SocketPair(Socket upstream, Socket server)
    {
        Upstream = upstream;
        Server = server;
    }

    public Socket Upstream { get; }

    public Socket Server { get; }

    public static async Task<SocketPair> ConnectAsync()
    {
        var dir = Directory.CreateTempSubdirectory("nginxlite-wire-").FullName;
        var endpoint = new UnixDomainSocketEndPoint(Path.Combine(dir, "s.sock"));
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(endpoint);
        listener.Listen(1);
        var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await server.ConnectAsync(endpoint);
        var upstream = await listener.AcceptAsync();
        Directory.Delete(dir, recursive: true);
        return new SocketPair(upstream, server);
    }

    public void Dispose()
    {
        Upstream.Dispose();
        Server.Dispose();
    }
}
