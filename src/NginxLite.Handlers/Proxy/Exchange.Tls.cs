using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using NginxLite.Handlers.Proxy.Tls;
using NginxLite.Handlers.Upstream;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Proxy;

/// <summary>
/// <c>proxy_pass https://…</c>: the TLS handshake over a connected socket (ngx_http_upstream_ssl_init_connection),
/// kept apart from the plain path: the connection then carries its <see cref="SslStream"/>, which the exchange reads
/// and writes instead of the socket, and which a keepalive cache keeps with the socket.
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
        var ssl = settings.Ssl;
        var context = UpstreamTlsContext.For(ssl);
        if (context.LoadError is { } loadError)
        {
            return Fail(connection, started, connected, loadError + " while SSL handshaking to upstream", NextUpstream.Error, 502);
        }

        var name = SslName(ssl);
        string? verifyError = null;
        var options = new SslClientAuthenticationOptions
        {
            // SNI only with proxy_ssl_server_name on, and never for an IP address (RFC 6066, as
            // ngx_http_upstream_ssl_name); an empty TargetHost sends none.
            TargetHost = ssl.ServerName && name.Length > 0 && !IPAddress.TryParse(name, out _) ? name : "",
            EnabledSslProtocols = context.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateContext = context.ClientCertificate,
            AllowTlsResume = ssl.SessionReuse,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                // nginx completes the handshake and checks the result afterwards: accept here, judge below.
                if (ssl.Verify)
                {
                    verifyError = certificate is null
                        ? "upstream SSL certificate verify error: (50:application verification failure)"
                        : UpstreamCertificateCheck.Check(certificate as X509Certificate2 ?? new X509Certificate2(certificate), chain, context, name);
                }

                return true;
            },
        };

        var tls = new SslStream(new NetworkStream(connection.Socket, ownsSocket: false), leaveInnerStreamOpen: false);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
        timer.CancelAfter(settings.ConnectTimeout); // nginx times the handshake with proxy_connect_timeout.
        try
        {
            await tls.AuthenticateAsClientAsync(options, timer.Token);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            await tls.DisposeAsync();
            request.Log(ErrorLevel.Info, "client prematurely closed connection while SSL handshaking to upstream");
            selection.Release(connection, failed: false, keepAlive: false);
            return new Attempt(HandlerResult.Error(499), null);
        }
        catch (OperationCanceledException)
        {
            await tls.DisposeAsync();
            return Fail(connection, started, connected, "upstream timed out (110: Connection timed out) while SSL handshaking to upstream", NextUpstream.Timeout, 504);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            await tls.DisposeAsync();
            return Fail(connection, started, connected, HandshakeError(e) + " while SSL handshaking to upstream", NextUpstream.Error, 502);
        }

        if (verifyError is not null)
        {
            await tls.DisposeAsync();
            return Fail(connection, started, connected, verifyError + " while SSL handshaking to upstream", NextUpstream.Error, 502);
        }

        connection.AttachTls(tls);
        return null;
    }

    /// <summary>proxy_ssl_name (default $proxy_host) with any port cut, as ngx_http_upstream_ssl_name does.</summary>
    private string SslName(ProxySslSettings ssl)
    {
        var name = ssl.Name?.Evaluate(request) ?? target.ProxyHost;
        var from = name.StartsWith('[') && name.IndexOf(']', StringComparison.Ordinal) is var close and > 0 ? close : 0;
        var colon = name.IndexOf(':', from);
        name = colon >= 0 ? name[..colon] : name;
        return name.StartsWith('[') ? name.Trim('[', ']') : name;
    }

    // nginx's wording for a failed SSL_do_handshake(): "peer closed connection in SSL handshake" for an EOF, else
    // OpenSSL's error queue, for which .NET's message is the closest text it has.
    private static string HandshakeError(Exception e)
    {
        if (UpstreamErrors.Socket(e) is { } socket)
        {
            return $"SSL_do_handshake() failed ({UpstreamErrors.Errno(socket)})";
        }

        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is IOException { InnerException: null } && x.Message.Contains("EOF", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase))
            {
                return "peer closed connection in SSL handshake";
            }
        }

        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return string.Create(CultureInfo.InvariantCulture, $"SSL_do_handshake() failed (SSL: {inner.Message.TrimEnd('.')})");
    }
}
