using System.Net.Sockets;
using System.Text;

namespace NginxLite.Apps.Tests;

/// <summary>A GET as a uwsgi packet on a worker connection, and the raw response read until the worker closes (or, marked
/// as app_pass marks it, read from its frames).</summary>
internal static class UwsgiRequest
{
    /// <summary>The GET, close-delimited as nginx's uwsgi_pass gets it; <paramref name="header"/>: an HTTP_X_BIG var
    /// of that many bytes (to outgrow the pool's buffer_size).</summary>
    public static async Task<string> GetAsync(Socket socket, string path, int header = 0)
    {
        await socket.SendAsync(Packet(path, modifier2: 0, header), SocketFlags.None);
        var response = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        try
        {
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                response.Write(buffer, 0, n);
            }
        }
        catch (SocketException)
        {
            // A killed worker resets the connection: what arrived is the answer.
        }

        return Encoding.UTF8.GetString(response.ToArray());
    }

    /// <summary>The GET marked as app_pass marks it (modifier2 78) and the response read from its frames up to the end
    /// frame (docs/apps.md, "What app_pass sends"); the connection stays open.</summary>
    public static async Task<string> GetFramedAsync(Socket socket, string path)
    {
        await socket.SendAsync(Packet(path, modifier2: 78), SocketFlags.None);
        var response = new MemoryStream();
        var header = new byte[4];
        while (true)
        {
            await ReadExactlyAsync(socket, header);
            var length = BitConverter.ToInt32(header);
            if (length == 0)
            {
                return Encoding.UTF8.GetString(response.ToArray());
            }

            var frame = new byte[length];
            await ReadExactlyAsync(socket, frame);
            response.Write(frame);
        }
    }

    private static async Task ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        var at = 0;
        while (at < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(at), SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the worker closed the connection inside a framed response");
            }

            at += n;
        }
    }

    private static byte[] Packet(string path, byte modifier2, int header = 0)
    {
        (string, string)[] vars =
        [
            ("REQUEST_METHOD", "GET"), ("PATH_INFO", path), ("SCRIPT_NAME", ""), ("QUERY_STRING", ""),
            ("SERVER_PROTOCOL", "HTTP/1.1"), ("SERVER_NAME", "localhost"), ("SERVER_PORT", "80"), ("REMOTE_ADDR", "127.0.0.1"),
            .. header > 0 ? [("HTTP_X_BIG", new string('x', header))] : Array.Empty<(string, string)>(),
        ];
        var body = new MemoryStream();
        foreach (var (k, v) in vars)
        {
            Write(body, k);
            Write(body, v);
        }

        var packet = new byte[4 + body.Length];
        packet[1] = (byte)(body.Length & 0xff);
        packet[2] = (byte)(body.Length >> 8);
        packet[3] = modifier2;
        body.ToArray().CopyTo(packet, 4);
        return packet;
    }

    /// <summary>NNN of the response's <c>HTTP/1.1 NNN</c> line, 0 when there is none (a killed worker).</summary>
    public static int StatusOf(string response) =>
        response.Length >= 12 && response.StartsWith("HTTP/", StringComparison.Ordinal) ? int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static void Write(MemoryStream s, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        s.WriteByte((byte)(bytes.Length & 0xff));
        s.WriteByte((byte)(bytes.Length >> 8));
        s.Write(bytes);
    }
}
