using System.Net;
using System.Net.Sockets;

namespace NginxLite.Interop.Tests.Support;

/// <summary>A loopback TCP port that was free a moment ago (the kernel picks it; the caller retries on a race).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
