using System.Net;
using System.Net.Sockets;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// Opens a connection to one upstream address as nginx writes it: <c>host:port</c>, <c>[v6]:port</c>, <c>host</c>
/// (port 80) or <c>unix:/path</c>. The first brick of peer selection: <c>upstream {}</c> groups, balancing, keepalive
/// pools and failure marking build on it.
/// </summary>
public static class UpstreamConnector
{
    /// <summary>The endpoint for <paramref name="address"/>; host names resolve through the system resolver.</summary>
    public static async ValueTask<EndPoint> ResolveAsync(string address, int defaultPort, CancellationToken cancel)
    {
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            return new UnixDomainSocketEndPoint(address[5..]);
        }

        var host = address;
        var port = defaultPort;
        var colon = address.LastIndexOf(':');
        if (colon > 0 && address.IndexOf(']', StringComparison.Ordinal) < colon && int.TryParse(address.AsSpan(colon + 1), out var p))
        {
            host = address[..colon];
            port = p;
        }

        host = host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip))
        {
            return new IPEndPoint(ip, port);
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancel);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        return new IPEndPoint(addresses[0], port);
    }

    /// <summary>A connected socket (Nagle off for TCP), or a <see cref="SocketException"/> / <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/> (nginx's <c>*_connect_timeout</c>).</summary>
    public static async ValueTask<Socket> ConnectAsync(EndPoint endpoint, TimeSpan timeout, CancellationToken cancel)
    {
        var socket = endpoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timer.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, timer.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException("upstream timed out (110: Connection timed out) while connecting to upstream");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
