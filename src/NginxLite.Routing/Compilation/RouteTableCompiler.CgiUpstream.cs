using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>
    /// The directives fastcgi_* and uwsgi_* share, <paramref name="suffix"/> being the name after the prefix
    /// (<c>param</c>, <c>read_timeout</c> …). Array directives (param, hide_header, pass_header) replace the inherited
    /// list at the first one of a level, as nginx's merge does. False when the directive is not one of them.
    /// </summary>
    private bool ApplyCgiUpstream(CgiUpstreamSettings c, string prefix, string suffix, BoundDirective d, HashSet<string> started)
    {
        switch (suffix)
        {
            case "param":
                var list = Start(started, prefix + "param") ? [] : c.Params.ToList();
                list.Add(new PassParam(d.Arg(0), ComplexValue.Parse(d.Arg(1), _variables), d.Arguments.Count > 2 && d.Arg(2) == "if_not_empty"));
                c.Params = [.. list];
                return true;
            case "connect_timeout":
                c.ConnectTimeout = Time(d, c.ConnectTimeout);
                return true;
            case "read_timeout":
                c.ReadTimeout = Time(d, c.ReadTimeout);
                return true;
            case "send_timeout":
                c.SendTimeout = Time(d, c.SendTimeout);
                return true;
            case "intercept_errors":
                c.InterceptErrors = d.Arg(0) == "on";
                return true;
            case "ignore_headers":
                c.IgnoreHeaders = ParseIgnoreHeaders(d, Start(started, prefix + "ignore_headers") ? UpstreamIgnoreHeaders.None : c.IgnoreHeaders);
                return true;
            case "hide_header":
                c.Hidden = c.Hidden.WithHide(d.Arg(0), Start(started, prefix + "hide_header"));
                return true;
            case "pass_header":
                c.Hidden = c.Hidden.WithPass(d.Arg(0), Start(started, prefix + "pass_header"));
                return true;
            case "request_buffering":
                c.RequestBuffering = d.Arg(0) == "on";
                return true;
            case "buffering":
                c.Buffering = d.Arg(0) == "on";
                return true;
            case "pass_request_headers":
                c.PassRequestHeaders = d.Arg(0) == "on";
                return true;
            case "pass_request_body":
                c.PassRequestBody = d.Arg(0) == "on";
                return true;
            case "ignore_client_abort":
                c.IgnoreClientAbort = d.Arg(0) == "on";
                return true;
            case "buffer_size":
                c.BufferSize = NginxValue.TryParseSize(d.Arg(0), out var size) && size is > 0 and < int.MaxValue ? (int)size : c.BufferSize;
                return true;
            case "next_upstream":
                c.NextUpstream = ParseNextUpstream(d);
                return true;
            case "next_upstream_tries":
                c.NextUpstreamTries = int.TryParse(d.Arg(0), out var tries) ? tries : 0;
                return true;
            case "next_upstream_timeout":
                c.NextUpstreamTimeout = Time(d, TimeSpan.Zero);
                return true;
            default:
                return false;
        }
    }
}
