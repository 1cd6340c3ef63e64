namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// An address as ngx_parse_url reads it for upstreams: <c>unix:/path</c>, <c>[v6]:port</c>, <c>host[:port][/uri]</c>.
/// <see cref="Error"/> holds nginx's <c>u-&gt;err</c> ("invalid port", "no host" …).
/// </summary>
internal sealed record UpstreamUrl(string Host, int? Port, bool Unix, string Uri, string? Error)
{
    public static UpstreamUrl Parse(string url)
    {
        if (url.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return new(url, null, true, "", url.Length == 5 ? "no path in the unix domain socket" : null);
        }

        var slash = url.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? url : url[..slash];
        var uri = slash < 0 ? "" : url[slash..];

        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return new(authority, null, false, uri, "invalid host");
            }

            host = authority[1..close];
            if (close + 1 < authority.Length)
            {
                port = authority[(close + 1)..].StartsWith(':') ? authority[(close + 2)..] : null;
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            port = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (port is not null)
        {
            if (!int.TryParse(port, System.Globalization.NumberStyles.None, null, out var n) || n is < 1 or > 65535)
            {
                return new(host, null, false, uri, "invalid port");
            }

            return new(host, n, false, uri, host.Length == 0 ? "no host" : null);
        }

        return new(host, null, false, uri, host.Length == 0 ? "no host" : null);
    }
}
