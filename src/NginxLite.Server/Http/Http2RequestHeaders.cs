using Microsoft.AspNetCore.Http;

namespace NginxLite.Server.Http;

/// <summary>
/// nginx's header-name rules for an HTTP/2 request (ngx_http_v2_validate_header), applied once the request's server is
/// known: HTTP/2 requests do not pass through <see cref="RequestHead"/>, which enforces them on HTTP/1 heads. A name may
/// hold only a–z, 0–9 and '-', and '_' when underscores_in_headers is on; any other is an invalid header, dropped when
/// ignore_invalid_headers is on ("client sent invalid header", checked against nginx 1.22.1). Kestrel already refuses
/// upper case, control characters and ':' in names (a stream error, as nginx). The engine's own
/// <c>X-NginxLite-*</c> markers are always dropped, as the HTTP/1 head filter drops them.
/// </summary>
internal static class Http2RequestHeaders
{
    /// <summary>Drops what nginx would not see; calls <paramref name="invalid"/> with each name dropped as invalid.</summary>
    public static void Apply(IHeaderDictionary headers, bool underscores, bool ignoreInvalid, Action<string> invalid)
    {
        List<string>? drop = null;
        foreach (var name in headers.Keys)
        {
            if (name.StartsWith("X-NginxLite-", StringComparison.OrdinalIgnoreCase))
            {
                (drop ??= []).Add(name);
            }
            else if (ignoreInvalid && !IsValidName(name, underscores))
            {
                invalid(name);
                (drop ??= []).Add(name);
            }
        }

        if (drop is not null)
        {
            foreach (var name in drop)
            {
                headers.Remove(name);
            }
        }
    }

    /// <summary>ngx_http_process_request_header's checks (checked against nginx 1.22.1 over HTTP/2): 405 for TRACE, 400
    /// for a unique header sent twice; else 0.</summary>
    public static int Reject(string method, IHeaderDictionary headers, out string? reason)
    {
        if (method == "TRACE")
        {
            reason = "client sent TRACE method";
            return 405;
        }

        foreach (var name in RequestHead.UniqueHeaderNames)
        {
            var values = headers[name];
            if (values.Count > 1)
            {
                reason = $"client sent duplicate header line: \"{name.ToLowerInvariant()}: {values[1]}\", previous value: \"{name.ToLowerInvariant()}: {values[0]}\"";
                return 400;
            }
        }

        reason = null;
        return 0;
    }

    /// <summary>ngx_http_v2_validate_header's name check (the leading ':' of a pseudo-header aside).</summary>
    public static bool IsValidName(string name, bool underscores)
    {
        foreach (var c in name)
        {
            // Upper case too: Kestrel names the headers it knows in their usual spelling ("User-Agent", "Host" from
            // :authority) whatever came on the wire, where it already refused upper case.
            if (char.IsAsciiLetterOrDigit(c) || c == '-' || (c == '_' && underscores))
            {
                continue;
            }

            return false;
        }

        return true;
    }
}
