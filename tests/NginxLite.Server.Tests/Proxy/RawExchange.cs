using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Server.Tests.Proxy;

/// <summary>Sends a request exactly as written and reads until the server closes (or resets) the connection; the
/// body is de-chunked when the response is chunked.</summary>
internal static class RawExchange
{
    public static async Task<(int Status, string Head, string Body)> SendAsync(int port, string request)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, cts.Token);
        var received = new MemoryStream();
        var buffer = new byte[65536];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException)
        {
            // A reset ends the response as a close does: what arrived is what counts.
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return (int.Parse(head.Split(' ')[1]), head, body);
    }

    public static string Dechunk(string chunked)
    {
        var sb = new StringBuilder();
        var rest = chunked;
        while (true)
        {
            var eol = rest.IndexOf("\r\n", StringComparison.Ordinal);
            if (eol < 0)
            {
                return sb.ToString();
            }

            var size = Convert.ToInt32(rest[..eol].Split(';')[0], 16);
            if (size == 0 || rest.Length < eol + 2 + size)
            {
                return sb.Append(rest.Length < eol + 2 + size ? rest[(eol + 2)..] : "").ToString();
            }

            sb.Append(rest, eol + 2, size);
            rest = rest[(eol + 2 + size + 2)..];
        }
    }
}
