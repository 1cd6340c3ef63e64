using NginxLite.Handlers.Upstream;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>Connecting to a peer of the group, and the next_upstream rule for a failed attempt (nginx's
/// ngx_http_upstream_next).</summary>
internal abstract partial class CgiUpstreamHandler
{
    /// <summary>nginx's <c>upstream: "…"</c> error-log part: <c>fastcgi://127.0.0.1:9000</c>, <c>fastcgi://unix:/x:</c>.</summary>
    private string UpstreamUrl(Peer peer) =>
        Scheme + (peer.Name.StartsWith("unix:", StringComparison.Ordinal) ? peer.Name + ":" : peer.Name);

    /// <summary>ngx_http_upstream_next: another peer when the condition is listed, tries and time are left, the body can be
    /// sent again, and (once the request went out) the method is idempotent or <c>non_idempotent</c> is listed.</summary>
    internal static bool Retry(CgiUpstreamSettings settings, NextUpstream condition, PeerSelection selection, RequestBody body, string method, bool requestSent) =>
        (settings.NextUpstream & condition) != 0 && selection.CanRetry && body.Replayable
        && (!requestSent || (settings.NextUpstream & NextUpstream.NonIdempotent) != 0 || method is not ("POST" or "LOCK" or "PATCH"));

    /// <summary>A connection from the peer API (cache or new), or the status and next_upstream condition of a failed
    /// connect (logged here); status 0 with no connection: no peer left to pick.</summary>
    private readonly record struct Connected(Upstream.UpstreamConnection? Connection, int Status, NextUpstream Condition);

    private async ValueTask<Connected> ConnectAsync(
        IUpstreamRequest request, PeerSelection selection, CgiUpstreamSettings settings, Upstream.UpstreamConnection? stale, UpstreamStates states, long started)
    {
        try
        {
            var connection = stale is null
                ? await selection.ConnectAsync(settings.ConnectTimeout, request.Aborted)
                : await selection.ReconnectAsync(stale, settings.ConnectTimeout, request.Aborted);
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

            request.LogUpstream(ConnectLevel(e), e.Message, UpstreamUrl(e.Peer));
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

    /// <summary>ngx_event_connect_peer: a unix socket that is missing or not permitted is [crit]; refused (and TCP
    /// failures, found later by ngx_http_upstream_test_connect) are [error].</summary>
    private static ErrorLevel ConnectLevel(UpstreamConnectException e) =>
        e.Message.StartsWith("connect() to unix:", StringComparison.Ordinal)
        && !e.Message.Contains("(111:", StringComparison.Ordinal) && !e.Message.Contains("(11:", StringComparison.Ordinal)
        && !e.Message.Contains("(104:", StringComparison.Ordinal)
            ? ErrorLevel.Crit
            : ErrorLevel.Error;
}
