using System.Net;
using System.Net.Sockets;

namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// uWSGI's <c>stats ADDRESS</c>: "the stats server … spits out the JSON and closes the connection" on each connect.
/// ADDRESS is <c>host:port</c> (<c>:port</c> = every address) or a Unix socket path (removed again on stop).
/// </summary>
internal static class StatsServer
{
    public static async Task ServeAsync(string address, Func<StatsSnapshot> snapshot, Action<string> logError, CancellationToken stop)
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
                using var client = await listener.AcceptAsync(stop);
                try
                {
                    await client.SendAsync(StatsJson.Write(snapshot()), SocketFlags.None, stop);
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // The reader went away: nothing to report.
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
