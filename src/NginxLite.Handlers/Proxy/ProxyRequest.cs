using System.Text;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Upstreams;

namespace NginxLite.Handlers.Proxy;

/// <summary>
/// What proxy_pass sends, built once per request (and re-sent as is on a next_upstream retry): the request line's
/// method and URI by nginx's rules, and the header lines in nginx's order — proxy_set_header's, then the defaults it
/// did not name (Host $proxy_host, Connection close, the body's framing), then the client's headers not named by either.
/// </summary>
internal static class ProxyRequest
{
    /// <summary>Names nginx always sets itself (ngx_http_proxy_headers): a client's own value never passes.</summary>
    private static readonly string[] DefaultNames = ["Host", "Connection", "Content-Length", "Transfer-Encoding", "TE", "Keep-Alive", "Expect", "Upgrade"];

    /// <summary>
    /// The upstream request URI (ngx_http_proxy_create_request): a URL with variables uses its URI part as is; no URI
    /// part passes the client's unparsed target while the URI is unchanged, else the current URI (escaped) and args;
    /// a URI part replaces the matched location prefix.
    /// </summary>
    public static string Uri(IUpstreamRequest request, ProxyPass pass, ProxyTarget target)
    {
        if (pass.Target is null && target.Uri is not null)
        {
            return Wire(target.Uri);
        }

        var args = request.Args.Length > 0 ? "?" + request.Args : "";
        if (target.Uri is null)
        {
            return request.UnparsedUri is { } unparsed ? Wire(unparsed) : Escape(request.Uri, request) + args;
        }

        var uri = request.Uri;
        var rest = pass.LocationPrefix.Length > 0 && uri.StartsWith(pass.LocationPrefix, StringComparison.Ordinal)
            ? uri[pass.LocationPrefix.Length..]
            : uri;
        return Wire(target.Uri) + Escape(rest, request) + args;
    }

    /// <summary>The header lines to send, in order; <paramref name="bodyLength"/> -1 = none (or chunked when
    /// <paramref name="chunked"/>).</summary>
    public static List<KeyValuePair<string, string>> Headers(IUpstreamRequest request, ProxySettings settings, string proxyHost,
        long bodyLength, bool chunked, out bool keepAliveAsked, out bool upgradeAsked)
    {
        var lines = new List<KeyValuePair<string, string>>();
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? connection = null;
        string? upgrade = null;
        foreach (var h in settings.SetHeaders)
        {
            named.Add(h.Name);
            var value = h.Value.Evaluate(request);
            if (value.Length > 0)
            {
                lines.Add(new(h.Name, value));
            }

            if (h.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                connection = value;
            }
            else if (h.Name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                upgrade = value;
            }
        }

        foreach (var name in DefaultNames)
        {
            if (!named.Add(name))
            {
                continue;
            }

            var value = name switch
            {
                "Host" => proxyHost,
                "Connection" => "close",
                "Content-Length" when bodyLength >= 0 => bodyLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "Transfer-Encoding" when chunked => "chunked",
                _ => "",
            };
            if (name == "Connection")
            {
                connection = value;
            }

            if (value.Length > 0)
            {
                lines.Add(new(name, value));
            }
        }

        if (settings.PassRequestHeaders)
        {
            foreach (var (name, values) in request.Features.Get<IHttpRequestFeature>()!.Headers)
            {
                if (named.Contains(name) || name.StartsWith("X-NginxLite-", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (var value in values)
                {
                    lines.Add(new(name, value ?? ""));
                }
            }
        }

        keepAliveAsked = connection is not null && !connection.Contains("close", StringComparison.OrdinalIgnoreCase);
        upgradeAsked = !string.IsNullOrEmpty(upgrade) && settings.HttpVersion == 11;
        return lines;
    }

    /// <summary><c>$proxy_add_x_forwarded_for</c>: the client's X-Forwarded-For, a comma and <c>$remote_addr</c>.</summary>
    public static string AddXForwardedFor(IUpstreamRequest request, string remoteAddr)
    {
        var existing = request.Features.Get<IHttpRequestFeature>()!.Headers["X-Forwarded-For"];
        return existing.Count == 0 ? remoteAddr : string.Join(", ", existing.ToArray()) + ", " + remoteAddr;
    }

    // nginx escapes the URI (NGX_ESCAPE_URI) when the client's was percent-encoded or the request was redirected
    // internally; otherwise the bytes go as they are.
    private static string Escape(string uri, IUpstreamRequest request)
    {
        var raw = request.Features.Get<IHttpRequestFeature>()!.RawTarget;
        if (!request.IsInternal && !raw.Contains('%', StringComparison.Ordinal))
        {
            return Wire(uri);
        }

        var bytes = Encoding.UTF8.GetBytes(uri);
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            if (b <= 0x20 || b >= 0x7f || b is (byte)'#' or (byte)'%' or (byte)'?')
            {
                sb.Append('%').Append(Convert.ToHexString([b]));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        return sb.ToString();
    }

    /// <summary>A string as the bytes nginx would send: UTF-8 text becomes one Latin-1 char per byte, as the request
    /// writer emits Latin-1.</summary>
    internal static string Wire(string text)
    {
        foreach (var c in text)
        {
            if (c > 0x7f)
            {
                return Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
            }
        }

        return text;
    }
}
