using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace NginxLite.Server.Hosting;

/// <summary>
/// Connections that speak HTTP/2 (<c>listen … ssl http2</c> when ALPN chose h2, or <c>listen … http2</c> in cleartext).
/// They bypass <see cref="RequestHeadFilter"/>, which parses HTTP/1 heads on the plaintext: HTTP/2 frames are Kestrel's
/// to read, and nginx's header-name rules are applied per request instead (Http.Http2RequestHeaders). The connection
/// still gets its <see cref="ConnectionInfo"/> ($connection, $connection_requests counted per stream, as nginx does).
/// </summary>
internal static class Http2Connections
{
    /// <summary>ALPN (after the TLS handshake) chose h2 for this connection.</summary>
    public static bool NegotiatedH2(ConnectionContext connection) =>
        connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol.Span.SequenceEqual("h2"u8) == true;

    public static Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        connection.Items[typeof(ConnectionInfo)] = new ConnectionInfo();
        return next(connection);
    }
}
