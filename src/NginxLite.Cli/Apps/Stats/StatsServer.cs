using System.Net;
using System.Net.Sockets;

namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// uWSGI's <c>stats ADDRESS</c>: "the stats server … spits out the JSON and closes the connection" on each connect.
/// ADDRESS is <c>host:port</c> (<c>:port</c> = every address) or a Unix socket path (removed again on stop).
/// With <c>stats-http</c> it first reads the request (any bytes: uWSGI 2.0.21 does not parse it) and answers with the
/// HTTP head uWSGI writes, byte for byte; a client that sends nothing within uWSGI's socket-timeout (4 s) is closed
/// without an answer, as uWSGI does (both checked against the real uWSGI by StatsHttpInteropTests).
/// </summary>
internal static class StatsServer
{
    /// <summary>uWSGI's stats-http head (core/stats.c): HTTP/1.0, no Content-Length, the end is the close.</summary>
    public static readonly byte[] HttpHead = "HTTP/1.0 200 OK\r\nConnection: close\r\nAccess-Control-Allow-Origin: *\r\nContent-Type: application/json\r\n\r\n"u8.ToArray();

    /// <summary>uWSGI's default socket-timeout: how long stats-http waits for the request.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(4);

    public static async Task ServeAsync(string address, bool http, Func<StatsSnapshot> snapshot, Action<string> logError, CancellationToken stop)
    {
        using var listener = Bind(address, out var unixPath);
        if (listener is null)
        {
            logError($"invalid stats address \"{address}\": expected host:port, :port or a Unix socket path");
            return;
        }

        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(stop);
                if (http)
                {
                    // One slow client must not hold the others up for 4 s.
                    _ = AnswerHttpAsync(client, snapshot, stop);
                    continue;
                }

                using (client)
                {
                    await SendAsync(client, [], snapshot, stop);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host stopped.
        }
        finally
        {
            if (unixPath is not null)
            {
                File.Delete(unixPath);
            }
        }
    }

    private static async Task AnswerHttpAsync(Socket client, Func<StatsSnapshot> snapshot, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(RequestTimeout);
                var request = new byte[4096];
                if (await client.ReceiveAsync(request, SocketFlags.None, timeout.Token) <= 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return;
            }

            await SendAsync(client, HttpHead, snapshot, stop);
        }
    }

    private static async Task SendAsync(Socket client, byte[] head, Func<StatsSnapshot> snapshot, CancellationToken stop)
    {
        try
        {
            var json = StatsJson.Write(snapshot());
            if (head.Length > 0)
            {
                await client.SendAsync(head, SocketFlags.None, stop);
            }

            await client.SendAsync(json, SocketFlags.None, stop);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The reader went away, or the server stops: nothing to report.
        }
    }

    private static Socket? Bind(string address, out string? unixPath)
    {
        unixPath = null;
        var colon = address.LastIndexOf(':');
        Socket socket;
        if (colon < 0 || address.Contains('/', StringComparison.Ordinal))
        {
            unixPath = Path.GetFullPath(address);
            File.Delete(unixPath);
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(unixPath));
        }
        else
        {
            if (!int.TryParse(address.AsSpan(colon + 1), out var port))
            {
                return null;
            }

            var host = address[..colon];
            var ip = host is "" or "*" or "0.0.0.0" ? IPAddress.Any
                : host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null;
            if (ip is null)
            {
                return null;
            }

            socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(ip, port));
        }

        socket.Listen(100);
        return socket;
    }
}
