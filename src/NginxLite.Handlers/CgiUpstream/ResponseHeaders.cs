using Microsoft.AspNetCore.Http.Features;
using NginxLite.Protocols.Cgi;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// What reaches the client of an upstream's response head: nginx's upstream module hides Date, Server, X-Pad,
/// X-Accel-* (and fastcgi/uwsgi also Status) unless <c>*_pass_header</c> names them, plus <c>*_hide_header</c>; the
/// connection's own framing headers are not copied.
/// </summary>
internal static class ResponseHeaders
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding",
    };

    /// <summary>ngx_http_upstream_intercept_errors: with <c>*_intercept_errors on</c>, a status of 300 or more that
    /// has an error_page is answered by nginx instead.</summary>
    public static bool Intercepts(IUpstreamRequest request, CgiUpstreamSettings settings, int status) =>
        settings.InterceptErrors && status >= 300 && request.Settings.ErrorPages.ContainsKey(status);

    public static void Copy(ResponseHead head, CgiUpstreamSettings settings, IHttpResponseFeature response)
    {
        var headers = response.Headers;
        foreach (var (name, value) in head.Headers)
        {
            if (HopByHop.Contains(name) || Hidden(name, settings))
            {
                continue;
            }

            // Repeated names (Set-Cookie) stay separate header lines.
            headers[name] = Microsoft.Extensions.Primitives.StringValues.Concat(headers[name], value);
        }
    }

    private static bool Hidden(string name, CgiUpstreamSettings settings) => settings.Hidden.Contains(name);
}
