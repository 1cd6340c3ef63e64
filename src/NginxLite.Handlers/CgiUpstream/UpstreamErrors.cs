using System.Net.Sockets;
using NginxLite.Routing;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>nginx's error-log wording for socket failures: <c>(errno: strerror)</c> as Linux prints them.</summary>
internal static class UpstreamErrors
{
    public const string Connecting = "while connecting to upstream";
    public const string Sending = "while sending request to upstream";
    public const string ReadingHeader = "while reading response header from upstream";
    public const string Reading = "while reading upstream";

    public static string Errno(SocketException e, bool unix) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "(111: Connection refused)",
        SocketError.ConnectionReset => "(104: Connection reset by peer)",
        SocketError.AddressNotAvailable when unix => "(2: No such file or directory)",
        SocketError.AddressNotAvailable => "(99: Cannot assign requested address)",
        SocketError.AccessDenied => "(13: Permission denied)",
        SocketError.TimedOut => "(110: Connection timed out)",
        SocketError.Shutdown => "(32: Broken pipe)",
        SocketError.HostUnreachable => "(113: No route to host)",
        SocketError.NetworkUnreachable => "(101: Network is unreachable)",
        SocketError.TryAgain or SocketError.WouldBlock => "(11: Resource temporarily unavailable)",
        SocketError.HostNotFound => "(-2: Name or service not known)",
        _ => $"({e.NativeErrorCode}: {e.Message})",
    };

    /// <summary>ngx_event_connect_peer: a unix socket fails at connect() itself ("connect() to unix:… failed", crit
    /// unless refused); a TCP failure is found by ngx_http_upstream_test_connect ("connect() failed", error).</summary>
    public static UpstreamException Connect(SocketException e, string target)
    {
        var unix = target.StartsWith("unix:", StringComparison.Ordinal);
        if (!unix)
        {
            return new UpstreamException(502, ErrorLevel.Error, $"connect() failed {Errno(e, false)} {Connecting}");
        }

        var level = e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.TryAgain or SocketError.WouldBlock or SocketError.ConnectionReset
            ? ErrorLevel.Error
            : ErrorLevel.Crit;
        return new UpstreamException(502, level, $"connect() to {target} failed {Errno(e, true)} {Connecting}");
    }

    public static UpstreamException TimedOut(string stage) =>
        new(504, ErrorLevel.Error, $"upstream timed out (110: Connection timed out) {stage}");

    public static UpstreamException Recv(SocketException e, string stage) =>
        new(502, ErrorLevel.Error, $"recv() failed {Errno(e, false)} {stage}");

    public static UpstreamException Send(SocketException e) =>
        new(502, ErrorLevel.Error, $"writev() failed {Errno(e, false)} {Sending}");

    /// <summary>A TLS session's failure with no socket error behind it (ngx_ssl_connection_error: "SSL_read() failed
    /// (SSL: …)", OpenSSL's text, for which .NET's innermost message is the closest it has).</summary>
    public static UpstreamException Tls(string call, IOException e, string stage)
    {
        Exception inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return new(502, ErrorLevel.Error, $"{call} failed (SSL: {inner.Message.TrimEnd('.')}) {stage}");
    }

    public static UpstreamException PrematureClose(string stage) =>
        new(502, ErrorLevel.Error, $"upstream prematurely closed connection {stage}");

    public static UpstreamException Protocol(string message, string stage) => new(502, ErrorLevel.Error, $"{message} {stage}");
}
