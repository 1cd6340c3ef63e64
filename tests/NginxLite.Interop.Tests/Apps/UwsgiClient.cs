using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// A hand-written uwsgi client for what nginx never sends (a chunked body: nginx buffers chunked request bodies for
/// uwsgi_pass and sends CONTENT_LENGTH) and for checking the raw response the shim writes. The packet is the
/// uwsgi protocol's (https://uwsgi-docs.readthedocs.io/en/latest/Protocol.html): modifier1 u8, datasize u16le,
/// modifier2 u8, then u16le-length-prefixed key/value pairs.
/// </summary>
public static class UwsgiClient
{
    /// <summary>The vars nginx's uwsgi_params sends for a plain request, to start from.</summary>
    public static Dictionary<string, string> Vars(string method, string path, string query = "") => new(StringComparer.Ordinal)
    {
        ["QUERY_STRING"] = query,
        ["REQUEST_METHOD"] = method,
        ["CONTENT_TYPE"] = "",
        ["CONTENT_LENGTH"] = "",
        ["REQUEST_URI"] = query.Length == 0 ? path : path + "?" + query,
        ["PATH_INFO"] = path,
        ["DOCUMENT_ROOT"] = "/tmp",
        ["SERVER_PROTOCOL"] = "HTTP/1.1",
        ["REQUEST_SCHEME"] = "http",
        ["REMOTE_ADDR"] = "127.0.0.1",
        ["REMOTE_PORT"] = "40000",
        ["SERVER_PORT"] = "80",
        ["SERVER_NAME"] = "localhost",
        ["HTTP_HOST"] = "localhost",
    };

    public static byte[] Packet(IReadOnlyDictionary<string, string> vars, byte modifier1 = 0, byte modifier2 = 0)
    {
        using var block = new MemoryStream();
        Span<byte> len = stackalloc byte[2];
        foreach (var (key, value) in vars)
        {
            var k = Encoding.Latin1.GetBytes(key);
            var v = Encoding.Latin1.GetBytes(value);
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)k.Length);
            block.Write(len);
            block.Write(k);
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)v.Length);
            block.Write(len);
            block.Write(v);
        }

        var packet = new byte[4 + block.Length];
        packet[0] = modifier1;
        packet[3] = modifier2;
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(1), checked((ushort)block.Length));
        block.ToArray().CopyTo(packet, 4);
        return packet;
    }

    /// <summary>HTTP/1.1 chunked coding of <paramref name="body"/> in pieces of <paramref name="piece"/> bytes, with a
    /// chunk extension on the first chunk and a trailer field, both of which the decoder must skip.</summary>
    public static byte[] Chunked(byte[] body, int piece)
    {
        using var s = new MemoryStream();
        for (var at = 0; at < body.Length; at += piece)
        {
            var n = Math.Min(piece, body.Length - at);
            s.Write(Encoding.ASCII.GetBytes(at == 0 ? $"{n:x};name=value\r\n" : $"{n:X}\r\n"));
            s.Write(body, at, n);
            s.Write("\r\n"u8);
        }

        s.Write("0\r\nX-Trailer: 1\r\n\r\n"u8);
        return s.ToArray();
    }

    /// <summary>Sends the packet and the body (each write separately, so the shim sees them split) and reads the raw
    /// response until the shim closes the connection.</summary>
    public static byte[] Exchange(string socketPath, byte[] packet, params byte[][] bodyParts)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = 30_000;
        socket.SendTimeout = 30_000;
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        socket.Send(packet);
        foreach (var part in bodyParts)
        {
            socket.Send(part);
        }

        using var received = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return received.ToArray();
    }

    /// <summary>Splits a raw response at the blank line: (head text, body bytes).</summary>
    public static (string Head, byte[] Body) Split(byte[] raw)
    {
        var at = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        return at < 0 ? (Encoding.Latin1.GetString(raw), []) : (Encoding.Latin1.GetString(raw, 0, at), raw[(at + 4)..]);
    }
}
