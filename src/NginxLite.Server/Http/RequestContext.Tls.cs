using System.Security.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using NginxLite.Routing.Variables;
using NginxLite.Server.Tls;

namespace NginxLite.Server.Http;

/// <summary>The request's protocol and its connection's TLS handshake, as nginx's variables show them. The TLS feature
/// is read only when one of the variables is used.</summary>
internal sealed partial class RequestContext
{
    /// <summary>The request came on an HTTP/2 stream (<c>listen … http2</c>): Kestrel's protocol string is "HTTP/2".</summary>
    public bool IsHttp2 => Microsoft.AspNetCore.Http.HttpProtocol.IsHttp2(_request.Protocol);

    /// <summary><c>$server_protocol</c> and the request line's version: nginx writes HTTP/2 requests as "HTTP/2.0"
    /// (ngx_http_v2_construct_request_line), Kestrel as "HTTP/2"; HTTP/1.x and 0.9 pass as they are.</summary>
    public string Protocol => IsHttp2 ? "HTTP/2.0" : _request.Protocol;

    private string? TlsVariable(VariableKind kind)
    {
        if (kind == VariableKind.Http2)
        {
            // ngx_http_v2_variable: "h2" over TLS, "h2c" in cleartext, empty for a request that is not HTTP/2
            return !IsHttp2 ? "" : IsHttps ? "h2" : "h2c";
        }

        // Not found (null: "-" in the access log, as nginx logs them) on a plain connection.
        if (!IsHttps || _features.Get<ITlsHandshakeFeature>() is not { } tls)
        {
            return null;
        }

        return kind switch
        {
            VariableKind.SslProtocol => ProtocolName(tls.Protocol),
            VariableKind.SslCipher => tls.NegotiatedCipherSuite is { } suite ? OpenSslCipherNames.Name(suite) : null,
            // ngx_ssl_get_server_name: the SNI name as the client sent it; not found without SNI
            VariableKind.SslServerName => string.IsNullOrEmpty(tls.HostName) ? null : tls.HostName,
            // SslStream does not tell whether the session was resumed: always "." (docs/intentional-differences.tsv)
            VariableKind.SslSessionReused => ".",
            _ => null,
        };
    }

    /// <summary>OpenSSL's SSL_get_version names (ngx_ssl_get_protocol).</summary>
    private static string? ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        (SslProtocols)0x300 => "TLSv1.1",
        (SslProtocols)0xC0 => "TLSv1",
        _ => null,
    };
}
