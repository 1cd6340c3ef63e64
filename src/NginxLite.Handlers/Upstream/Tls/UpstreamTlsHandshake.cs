using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Upstream.Tls;

/// <summary>
/// The TLS client handshake over a connected upstream socket (ngx_http_upstream_ssl_init_connection), shared by
/// <c>proxy_pass https://…</c> and <c>uwsgi_pass suwsgi://…</c>: both modules hand nginx's upstream core the same
/// settings (<see cref="UpstreamSslSettings"/>), and the core does the handshake, the SNI and the verification the same
/// way for both. The caller owns the socket, the log line of a failure (a client gone away is logged here, [info], as
/// nginx words it for either module) and the next_upstream decision.
/// </summary>
internal static class UpstreamTlsHandshake
{
    /// <summary>Runs the handshake on <paramref name="socket"/>, timed by the module's connect timeout (nginx times
    /// the handshake with *_connect_timeout). <paramref name="host"/> is the upstream's host as written
    /// (<c>$proxy_host</c>, or uwsgi_pass's host or group name), the default of *_ssl_name.</summary>
    public static async Task<TlsHandshakeResult> RunAsync(
        IUpstreamRequest request, Socket socket, UpstreamSslSettings ssl, string host, TimeSpan timeout)
    {
        var context = UpstreamTlsContext.For(ssl);
        if (context.LoadError is { } loadError)
        {
            return TlsHandshakeResult.Failed(loadError, NextUpstream.Error, 502);
        }

        var name = SslName(request, ssl, host);
        string? verifyError = null;
        var options = new SslClientAuthenticationOptions
        {
            // SNI only with *_ssl_server_name on, and never for an IP address (RFC 6066, as
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

        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
        timer.CancelAfter(timeout);
        try
        {
            await tls.AuthenticateAsClientAsync(options, timer.Token);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            await tls.DisposeAsync();
            request.Log(ErrorLevel.Info, "client prematurely closed connection while SSL handshaking to upstream");
            return TlsHandshakeResult.ClientGone;
        }
        catch (OperationCanceledException)
        {
            await tls.DisposeAsync();
            return TlsHandshakeResult.Failed("upstream timed out (110: Connection timed out)", NextUpstream.Timeout, 504);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            await tls.DisposeAsync();
            return TlsHandshakeResult.Failed(HandshakeError(e), NextUpstream.Error, 502);
        }

        if (verifyError is not null)
        {
            await tls.DisposeAsync();
            return TlsHandshakeResult.Failed(verifyError, NextUpstream.Error, 502);
        }

        return new TlsHandshakeResult(tls, null, NextUpstream.None, 0);
    }

    /// <summary>*_ssl_name (default: the upstream's host) with any port cut, as ngx_http_upstream_ssl_name does.</summary>
    internal static string SslName(IUpstreamRequest request, UpstreamSslSettings ssl, string host)
    {
        var name = ssl.Name?.Evaluate(request) ?? host;
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
