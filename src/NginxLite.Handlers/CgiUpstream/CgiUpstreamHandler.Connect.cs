using System.Diagnostics;
using NginxLite.Handlers.Upstream;
using NginxLite.Handlers.Upstream.Tls;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>Connecting to a peer of the group, and the next_upstream rule for a failed attempt (nginx's
/// ngx_http_upstream_next).</summary>
internal abstract partial class CgiUpstreamHandler
{
    /// <summary>nginx's <c>upstream: "…"</c> error-log part: <c>fastcgi://127.0.0.1:9000</c>, <c>fastcgi://unix:/x:</c>,
    /// <c>suwsgi://127.0.0.1:9000</c> (ngx_http_uwsgi_handler sets u->schema to "suwsgi://" when u->ssl).</summary>
    private static string UpstreamUrl(PassTarget pass, Peer peer) =>
        pass.Scheme + (peer.Name.StartsWith("unix:", StringComparison.Ordinal) ? peer.Name + ":" : peer.Name);

    /// <summary>ngx_http_upstream_next: another peer when the condition is listed, tries and time are left, the body can be
    /// sent again, and (once the request went out) the method is idempotent or <c>non_idempotent</c> is listed.</summary>
    internal static bool Retry(CgiUpstreamSettings settings, NextUpstream condition, PeerSelection selection, RequestBody body, string method, bool requestSent) =>
        (settings.NextUpstream & condition) != 0 && selection.CanRetry && body.Replayable
        && (!requestSent || (settings.NextUpstream & NextUpstream.NonIdempotent) != 0 || method is not ("POST" or "LOCK" or "PATCH"));

    /// <summary>A connection from the peer API (cache or new), secured when the target is TLS, or the status and
    /// next_upstream condition of a failed connect or handshake (logged here); status 0 with no connection: no peer
    /// left to pick.</summary>
    private readonly record struct Connected(Upstream.UpstreamConnection? Connection, int Status, NextUpstream Condition);

    private async ValueTask<Connected> ConnectAsync(
        IUpstreamRequest request, PeerSelection selection, CgiUpstreamSettings settings, PassTarget pass, Upstream.UpstreamConnection? stale,
        UpstreamStates states, long started)
    {
        try
        {
            var connection = stale is null
                ? await selection.ConnectAsync(settings.ConnectTimeout, request.Aborted)
                : await selection.ReconnectAsync(stale, settings.ConnectTimeout, request.Aborted);
            if (connection is not null && pass.Ssl is { } ssl && connection.Tls is null)
            {
                return await SecureAsync(request, selection, settings, pass, ssl, connection, states, started);
            }

            return new(connection, 0, NextUpstream.None);
        }
        catch (UpstreamConnectException e)
        {
            // nginx logs a connect error before ngx_http_upstream_next frees the peer ("temporarily disabled"), and a
            // connect timeout after it (ngx_http_upstream_next logs "upstream timed out" itself).
            if (e.TimedOut)
            {
                selection.ReportDisabled(e);
            }

            request.LogUpstream(ConnectLevel(e), e.Message, UpstreamUrl(pass, e.Peer));
            if (!e.TimedOut)
            {
                selection.ReportDisabled(e);
            }
            states.Record(e.Peer.Name, e.TimedOut ? 504 : 502, started, connected: 0, headerAt: 0, length: 0);
            return e.TimedOut ? new(null, 504, NextUpstream.Timeout) : new(null, 502, NextUpstream.Error);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            return new(null, 499, NextUpstream.None);
        }
    }

    /// <summary>
    /// <c>uwsgi_pass suwsgi://…</c>: the TLS handshake on a new connection (ngx_http_upstream_ssl_init_connection, shared
    /// with proxy_pass https://). A failure is the attempt's: nginx logs it, frees the peer as failed and goes to
    /// ngx_http_upstream_next with NGX_HTTP_UPSTREAM_FT_ERROR (a timeout: FT_TIMEOUT, logged after the peer is freed).
    /// </summary>
    private static async ValueTask<Connected> SecureAsync(
        IUpstreamRequest request, PeerSelection selection, CgiUpstreamSettings settings, PassTarget pass, UpstreamSslSettings ssl,
        Upstream.UpstreamConnection connection, UpstreamStates states, long started)
    {
        var connected = Stopwatch.GetTimestamp();
        // uwsgi_ssl_name's default is the host of uwsgi_pass (the upstream's host: its group name or address).
        var result = await UpstreamTlsHandshake.RunAsync(request, connection.Socket, ssl, pass.Address, settings.ConnectTimeout);
        if (result.Stream is { } tls)
        {
            connection.AttachTls(tls);
            return new(connection, 0, NextUpstream.None);
        }

        if (result.Error is null)
        {
            selection.Release(connection, failed: false, keepAlive: false);
            return new(null, 499, NextUpstream.None);
        }

        states.Record(connection.Peer.Name, result.Status, started, connected, headerAt: 0, length: 0);
        if (result.Condition == NextUpstream.Timeout)
        {
            selection.Release(connection, failed: true, keepAlive: false);
            request.LogUpstream(ErrorLevel.Error, result.Error, UpstreamUrl(pass, connection.Peer));
        }
        else
        {
            request.LogUpstream(ErrorLevel.Error, result.Error, UpstreamUrl(pass, connection.Peer));
            selection.Release(connection, failed: true, keepAlive: false);
        }

        return new(null, result.Status, result.Condition);
    }

    /// <summary>ngx_event_connect_peer: a unix socket that is missing or not permitted is [crit]; refused (and TCP
    /// failures, found later by ngx_http_upstream_test_connect) are [error].</summary>
    private static ErrorLevel ConnectLevel(UpstreamConnectException e) =>
        e.Message.StartsWith("connect() to unix:", StringComparison.Ordinal)
        && !e.Message.Contains("(111:", StringComparison.Ordinal) && !e.Message.Contains("(11:", StringComparison.Ordinal)
        && !e.Message.Contains("(104:", StringComparison.Ordinal)
            ? ErrorLevel.Crit
            : ErrorLevel.Error;
}
