namespace NginxLite.Routing.Upstreams;

/// <summary>
/// A <c>proxy_pass</c> URL taken apart as ngx_http_proxy_pass / ngx_parse_url do: <c>http://host[:port][/uri]</c> or
/// <c>http://unix:/path[:/uri]</c>. <see cref="Address"/> is what the peer API resolves (an upstream group's name,
/// <c>host:port</c>, <c>unix:/path</c>); <see cref="Uri"/> is the URI part, null when the URL has none.
/// </summary>
public sealed record ProxyTarget(string Scheme, string Address, string Host, int Port, string? Uri)
{
    /// <summary>The value of <c>$proxy_host</c>: <c>host</c>, or <c>host:port</c> when the port is not the scheme's default;
    /// <c>localhost</c> for a Unix socket.</summary>
    public string ProxyHost => Address.StartsWith("unix:", StringComparison.Ordinal)
        ? "localhost"
        : Port == DefaultPort(Scheme) || !HasPort ? Host : Host + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True when the URL names a port.</summary>
    public bool HasPort { get; init; }

    /// <summary>The URL up to the URI part, as written (<c>http://127.0.0.1:8080</c>): nginx's error-log "upstream:" prefix.</summary>
    public string Origin { get; init; } = "";

    public static int DefaultPort(string scheme) => scheme == "https" ? 443 : 80;

    /// <summary>Parses <paramref name="url"/>; false (with nginx's reason) when it is not a URL nginx accepts.</summary>
    public static bool TryParse(string url, out ProxyTarget target, out string? error)
    {
        target = null!;
        error = null;
        string scheme;
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            scheme = "http";
        }
        else if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            scheme = "https";
        }
        else
        {
            error = "invalid URL prefix";
            return false;
        }

        var rest = url[(scheme.Length + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            // http://unix:/path/app.sock:/uri — the path ends at the first ':' after "unix:" (ngx_parse_unix_domain_url).
            var path = rest[5..];
            string? unixUri = null;
            var colon = path.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                unixUri = path[(colon + 1)..];
                path = path[..colon];
                if (unixUri.Length == 0)
                {
                    unixUri = null;
                }
            }

            if (path.Length == 0)
            {
                error = "no path in the unix domain socket";
                return false;
            }

            target = new ProxyTarget(scheme, "unix:" + path, "localhost", 0, unixUri) { Origin = url[..(scheme.Length + 3 + 5 + path.Length)] };
            return true;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPort = slash < 0 ? rest : rest[..slash];
        var uri = slash < 0 ? null : rest[slash..];
        if (hostPort.Length == 0)
        {
            error = "no host";
            return false;
        }

        var host = hostPort;
        var port = DefaultPort(scheme);
        var hasPort = false;
        var portColon = hostPort.LastIndexOf(':');
        if (portColon >= 0 && hostPort.IndexOf(']', StringComparison.Ordinal) < portColon)
        {
            if (!int.TryParse(hostPort.AsSpan(portColon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535)
            {
                error = "invalid port";
                return false;
            }

            host = hostPort[..portColon];
            hasPort = true;
        }

        target = new ProxyTarget(scheme, hostPort, host, port, uri)
        {
            HasPort = hasPort,
            Origin = scheme + "://" + hostPort,
        };
        return true;
    }
}
