using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// app_pass's framing (docs/apps.md, "What app_pass sends"), spoken to the Python shim directly: a request marked with
/// modifier2 78 is answered in frames (u32le length, bytes; length 0 ends it) and the connection carries the next
/// request; each framed response is byte for byte the close-delimited one nginx's uwsgi_pass gets for the same request.
/// </summary>
public sealed class WsgiShimFramingTests(WsgiShimSite site) : IClassFixture<WsgiShimSite>
{
    private const byte Framed = 78;

    private string Path => site.Shim!.Socket;

    private Socket Open()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 30_000, SendTimeout = 30_000 };
        socket.Connect(new UnixDomainSocketEndPoint(Path));
        return socket;
    }

    /// <summary>Sends one framed request and reads its frames up to the end frame: the response bytes.</summary>
    private static byte[] FramedExchange(Socket socket, Dictionary<string, string> vars, byte[]? body = null)
    {
        socket.Send(UwsgiClient.Packet(vars, modifier2: Framed));
        if (body is not null)
        {
            socket.Send(body);
        }

        using var response = new MemoryStream();
        var header = new byte[4];
        while (true)
        {
            ReadExactly(socket, header);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length == 0)
            {
                return response.ToArray();
            }

            var frame = new byte[length];
            ReadExactly(socket, frame);
            response.Write(frame);
        }
    }

    private static void ReadExactly(Socket socket, byte[] buffer)
    {
        var at = 0;
        while (at < buffer.Length)
        {
            var n = socket.Receive(buffer, at, buffer.Length - at, SocketFlags.None);
            Assert.True(n > 0, "the shim closed the connection inside a framed response");
            at += n;
        }
    }

    [Fact]
    public void WsgiShim_FramedRequests_SameBytesAsCloseDelimitedOnOneConnection()
    {
        using var socket = Open();
        foreach (var (path, query) in new[] { ("/cookies", ""), ("/stream", ""), ("/write", ""), ("/file", "100"), ("/filelike", ""), ("/exc-before", ""), ("/raise", "") })
        {
            var vars = UwsgiClient.Vars("GET", path, query);
            var expected = UwsgiClient.Exchange(Path, UwsgiClient.Packet(vars));

            var framed = FramedExchange(socket, vars);

            Assert.True(expected.Length > 0, path);
            Assert.Equal(Encoding.Latin1.GetString(expected), Encoding.Latin1.GetString(framed));
        }
    }

    [Fact]
    public void WsgiShim_FramedBodyTheAppDidNotRead_DroppedBeforeTheNextRequest()
    {
        using var socket = Open();
        var unread = new byte[200_000];
        new Random(5).NextBytes(unread);
        var post = UwsgiClient.Vars("POST", "/cookies");
        post["CONTENT_LENGTH"] = unread.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var first = FramedExchange(socket, post, unread);
        var sha = UwsgiClient.Vars("POST", "/sha");
        sha["CONTENT_LENGTH"] = "5";
        var second = FramedExchange(socket, sha, "hello"u8.ToArray());

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.Latin1.GetString(first));
        var (_, body) = UwsgiClient.Split(second);
        Assert.Equal($"5 {Convert.ToHexStringLower(SHA256.HashData("hello"u8))} terminated=False\n", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void WsgiShim_UnmarkedRequestAfterFramedOnes_AnsweredThenClosed()
    {
        using var socket = Open();
        var framed = FramedExchange(socket, UwsgiClient.Vars("GET", "/cookies"));

        socket.Send(UwsgiClient.Packet(UwsgiClient.Vars("GET", "/cookies")));
        using var rest = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            rest.Write(buffer, 0, n);
        }

        Assert.Equal(Encoding.Latin1.GetString(framed), Encoding.Latin1.GetString(rest.ToArray())); // no frames, then EOF
    }

    [Fact]
    public void WsgiShim_FramedResponseCutByAnError_ConnectionClosedWithoutEndFrame()
    {
        using var socket = Open();
        socket.Send(UwsgiClient.Packet(UwsgiClient.Vars("GET", "/raise-after-head"), modifier2: Framed));
        using var received = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        var raw = received.ToArray();
        Assert.True(raw.Length > 4);
        Assert.NotEqual(new byte[4], raw[^4..]); // the cut response has no end frame: the front end sees a premature close
    }
}
