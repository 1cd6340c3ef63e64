using System.Net.Security;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Upstream.Tls;

/// <summary>
/// What <see cref="UpstreamTlsHandshake"/> came to: the TLS session (success), or the client gone (status 499, already
/// logged), or a failure with nginx's error-log text (ending "while SSL handshaking to upstream"), the
/// *_next_upstream condition it counts as and the status it stands for if it is the last try (502, or 504 on a timeout).
/// </summary>
internal readonly record struct TlsHandshakeResult(SslStream? Stream, string? Error, NextUpstream Condition, int Status)
{
    public static readonly TlsHandshakeResult ClientGone = new(null, null, NextUpstream.None, 499);

    public static TlsHandshakeResult Failed(string error, NextUpstream condition, int status) =>
        new(null, error + " while SSL handshaking to upstream", condition, status);
}
