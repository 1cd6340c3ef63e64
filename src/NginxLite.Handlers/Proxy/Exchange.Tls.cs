using System.Diagnostics;
using NginxLite.Handlers.Upstream;
using NginxLite.Handlers.Upstream.Tls;

namespace NginxLite.Handlers.Proxy;

/// <summary>
/// <c>proxy_pass https://…</c>: the TLS handshake over a connected socket (<see cref="UpstreamTlsHandshake"/>, shared
/// with uwsgi_pass suwsgi://), kept apart from the plain path: the connection then carries its SslStream, which the
/// exchange reads and writes instead of the socket, and which a keepalive cache keeps with the socket.
/// </summary>
internal sealed partial class Exchange
{
    /// <summary>Secures <paramref name="connection"/> when the upstream is https and it has no TLS session yet; null on
    /// success (or plain http), else the attempt's outcome (a failure to retry, or 499 when the client left).</summary>
    private async Task<Attempt?> SecureAsync(UpstreamConnection connection, long started)
    {
        if (target.Scheme != "https" || connection.Tls is not null)
        {
            return null;
        }

        var connected = Stopwatch.GetTimestamp();
        // proxy_ssl_name's default is $proxy_host.
        var result = await UpstreamTlsHandshake.RunAsync(request, connection.Socket, settings.Ssl, target.ProxyHost, settings.ConnectTimeout);
        if (result.Stream is { } tls)
        {
            connection.AttachTls(tls);
            return null;
        }

        if (result.Error is null)
        {
            selection.Release(connection, failed: false, keepAlive: false);
            return new Attempt(HandlerResult.Error(499), null);
        }

        return Fail(connection, started, connected, result.Error, result.Condition, result.Status);
    }
}
