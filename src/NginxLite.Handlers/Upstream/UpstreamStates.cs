using System.Diagnostics;
using System.Globalization;
using NginxLite.Handlers.Proxy;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// nginx's per-attempt upstream state (ngx_http_upstream_state_t) as the <c>$upstream_*</c> variables of one request:
/// one entry per attempt, joined with ", " (ngx_http_upstream_addr_variable and friends). A time or status that was
/// never reached prints "-" (a connect that failed has no connect time, a response that never came no header time).
/// Shared by proxy_pass and fastcgi_pass / uwsgi_pass / app_pass.
/// </summary>
internal readonly struct UpstreamStates(IUpstreamRequest request)
{
    private readonly UpstreamVariables _vars = new(request);

    /// <summary>Starts this upstream phase: what an earlier phase of the request (before an internal redirect) left
    /// stays, followed by " : ".</summary>
    public void BeginPhase() => _vars.BeginPhase();

    /// <summary>Adds one attempt; <paramref name="connected"/> and <paramref name="headerAt"/> are
    /// <see cref="Stopwatch"/> timestamps, 0 when that point was not reached; <paramref name="status"/> 0 prints "-".</summary>
    public void Record(string address, int status, long started, long connected, long headerAt, long length)
    {
        var now = Stopwatch.GetTimestamp();
        _vars.Append("upstream_addr", address);
        _vars.Append("upstream_status", status == 0 ? "-" : status.ToString(CultureInfo.InvariantCulture));
        _vars.Append("upstream_connect_time", connected == 0 ? "-" : Seconds(started, connected));
        _vars.Append("upstream_header_time", headerAt == 0 ? "-" : Seconds(started, headerAt));
        _vars.Append("upstream_response_time", Seconds(started, now));
        _vars.Append("upstream_response_length", length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The end of an attempt recorded when its response started: its response time and length, now known,
    /// replace the last entries.</summary>
    public void Complete(long started, long length)
    {
        _vars.ReplaceLast("upstream_response_time", Seconds(started, Stopwatch.GetTimestamp()));
        _vars.ReplaceLast("upstream_response_length", length.ToString(CultureInfo.InvariantCulture));
    }

    // nginx prints milliseconds as seconds with three decimals ("0.004").
    private static string Seconds(long from, long to) =>
        Stopwatch.GetElapsedTime(from, to).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
