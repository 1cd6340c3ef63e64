using System.Diagnostics;
using System.Globalization;
using NginxLite.Handlers.Proxy;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// nginx's per-attempt upstream state (ngx_http_upstream_state_t) as the <c>$upstream_*</c> variables of one request:
/// one entry per attempt, joined with ", " (ngx_http_upstream_addr_variable and friends). A time or status that was
/// never reached prints "-" (a connect that failed has no connect time, a response that never came no header time).
/// </summary>
internal readonly struct UpstreamStates(IUpstreamRequest request)
{
    private readonly IUpstreamRequest _request = request;
    private readonly UpstreamVariables _vars = new(request);

    /// <summary>Clears what an earlier pass of the request (an internal redirect) left.</summary>
    public void Reset()
    {
        _vars.Set("upstream_addr", "");
        _vars.Set("upstream_status", "");
        _vars.Set("upstream_response_time", "");
        _vars.Set("upstream_connect_time", "");
        _vars.Set("upstream_header_time", "");
        _vars.Set("upstream_response_length", "");
    }

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
        ReplaceLast("upstream_response_time", Seconds(started, Stopwatch.GetTimestamp()));
        ReplaceLast("upstream_response_length", length.ToString(CultureInfo.InvariantCulture));
    }

    private void ReplaceLast(string name, string value)
    {
        if (_request.Table.Variables.TryGetSlot(name, out var slot) && slot < _request.UserVariables.Length)
        {
            var old = _request.UserVariables[slot] ?? "";
            var comma = old.LastIndexOf(", ", StringComparison.Ordinal);
            _request.UserVariables[slot] = comma < 0 ? value : old[..(comma + 2)] + value;
        }
    }

    // nginx prints milliseconds as seconds with three decimals ("0.004").
    private static string Seconds(long from, long to) =>
        Stopwatch.GetElapsedTime(from, to).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
