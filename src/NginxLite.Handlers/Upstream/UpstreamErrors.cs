using System.Net.Sockets;

namespace NginxLite.Handlers.Upstream;

/// <summary>nginx's errno texts for socket errors ("111: Connection refused"), for error-log lines in nginx's wording.</summary>
public static class UpstreamErrors
{
    public static string Errno(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "111: Connection refused",
        SocketError.ConnectionReset => "104: Connection reset by peer",
        SocketError.TimedOut => "110: Connection timed out",
        SocketError.HostUnreachable => "113: No route to host",
        SocketError.NetworkUnreachable => "101: Network is unreachable",
        SocketError.AccessDenied => "13: Permission denied",
        SocketError.Shutdown or SocketError.ConnectionAborted => "32: Broken pipe",
        SocketError.AddressNotAvailable => "2: No such file or directory",
        SocketError.HostNotFound or SocketError.NoData => "-2: Name or service not known",
        _ => $"{e.NativeErrorCode}: {e.Message}",
    };

    /// <summary>The root socket error inside <paramref name="e"/> (IOException wrappers from streams), or null.</summary>
    public static SocketException? Socket(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException s)
            {
                return s;
            }
        }

        return null;
    }
}
