using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Config.Validation.Checks;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Upstreams;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>Applies one proxy_* directive to the level's settings; false when <paramref name="d"/> is not one.</summary>
    private bool ApplyProxy(LocationSettings s, BoundDirective d, HashSet<string> started)
    {
        if (!d.Name.StartsWith("proxy_", StringComparison.Ordinal))
        {
            return false;
        }

        if (d.Name.StartsWith("proxy_ssl_", StringComparison.Ordinal))
        {
            // proxy_ssl_*: shared with uwsgi_ssl_* (RouteTableCompiler.UpstreamSsl.cs); the record is replaced, never
            // changed in place, on the level's own copy.
            var ps = Proxy(s, started);
            ps.Ssl = ApplyUpstreamSsl(ps.Ssl, d.Name["proxy_ssl_".Length..], d) ?? ps.Ssl;
            return true;
        }

        switch (d.Name)
        {
            case "proxy_pass":
                Proxy(s, started).Pass = CompileProxyPass(d);
                s.Upstream = new Settings.UpstreamPass(d.Name, d.Arg(0), true);
                return true;
            case "proxy_set_header":
                var p = Proxy(s, started);
                var headers = Start(started, "proxy_set_header") ? [] : p.SetHeaders.ToList();
                headers.Add(new ProxyHeader(d.Arg(0), ComplexValue.Parse(d.Arg(1), _variables)));
                p.SetHeaders = [.. headers];
                return true;
            case "proxy_http_version":
                Proxy(s, started).HttpVersion = d.Arg(0) == "1.1" ? 11 : 10;
                return true;
            case "proxy_pass_request_headers":
                Proxy(s, started).PassRequestHeaders = d.Arg(0) == "on";
                return true;
            case "proxy_pass_request_body":
                Proxy(s, started).PassRequestBody = d.Arg(0) == "on";
                return true;
            case "proxy_set_body":
                Proxy(s, started).SetBody = ComplexValue.Parse(d.Arg(0), _variables);
                return true;
            case "proxy_method":
                Proxy(s, started).Method = ComplexValue.Parse(d.Arg(0), _variables);
                return true;
            case "proxy_hide_header":
                var hp = Proxy(s, started);
                hp.Hidden = hp.Hidden.WithHide(d.Arg(0), Start(started, "proxy_hide_header"));
                return true;
            case "proxy_pass_header":
                var pp = Proxy(s, started);
                pp.Hidden = pp.Hidden.WithPass(d.Arg(0), Start(started, "proxy_pass_header"));
                return true;
            case "proxy_redirect":
                ApplyProxyRedirect(Proxy(s, started), d, started);
                return true;
            case "proxy_cookie_domain":
                var cd = Proxy(s, started);
                cd.CookieDomains = CookieRewrites(d, cd.CookieDomains, Start(started, d.Name));
                return true;
            case "proxy_cookie_path":
                var cp = Proxy(s, started);
                cp.CookiePaths = CookieRewrites(d, cp.CookiePaths, Start(started, d.Name));
                return true;
            case "proxy_cookie_flags":
                var cf = Proxy(s, started);
                cf.CookieFlags = CookieFlagRules(d, cf.CookieFlags, Start(started, d.Name));
                return true;
            case "proxy_intercept_errors":
                Proxy(s, started).InterceptErrors = d.Arg(0) == "on";
                return true;
            case "proxy_buffering":
                Proxy(s, started).Buffering = d.Arg(0) == "on";
                return true;
            case "proxy_request_buffering":
                Proxy(s, started).RequestBuffering = d.Arg(0) == "on";
                return true;
            case "proxy_connect_timeout":
                Proxy(s, started).ConnectTimeout = Time(d, Proxy(s, started).ConnectTimeout);
                return true;
            case "proxy_read_timeout":
                Proxy(s, started).ReadTimeout = Time(d, Proxy(s, started).ReadTimeout);
                return true;
            case "proxy_send_timeout":
                Proxy(s, started).SendTimeout = Time(d, Proxy(s, started).SendTimeout);
                return true;
            case "proxy_next_upstream":
                Proxy(s, started).NextUpstream = ParseNextUpstream(d);
                return true;
            case "proxy_next_upstream_tries":
                Proxy(s, started).NextUpstreamTries = int.TryParse(d.Arg(0), out var tries) ? tries : 0;
                return true;
            case "proxy_next_upstream_timeout":
                Proxy(s, started).NextUpstreamTimeout = Time(d, TimeSpan.Zero);
                return true;
            case "proxy_buffer_size":
                Proxy(s, started).BufferSize = NginxValue.TryParseSize(d.Arg(0), out var size) ? (int)Math.Min(size, 1 << 20) : 4096;
                return true;
            case "proxy_ignore_headers":
                var ip = Proxy(s, started);
                ip.IgnoreHeaders = ParseIgnoreHeaders(d, Start(started, "proxy_ignore_headers") ? UpstreamIgnoreHeaders.None : ip.IgnoreHeaders);
                return true;
            default:
                // Accepted, no effect yet (proxy_cache*, proxy_buffers …): docs/upstreams.md lists them.
                return true;
        }
    }

    /// <summary>The level's own copy of the proxy settings (copy on write: cloned once per level).</summary>
    private static ProxySettings Proxy(LocationSettings s, HashSet<string> started)
    {
        if (Start(started, "proxy:own"))
        {
            s.Proxy = s.Proxy.Clone();
        }

        return s.Proxy;
    }

    private ProxyPass CompileProxyPass(BoundDirective d)
    {
        var url = d.Arg(0);
        var value = ComplexValue.Parse(url, _variables);
        var location = d.Parent;
        while (location is not null && location.Name != "location")
        {
            location = location.Parent;
        }

        var prefix = location is null ? "" : LocationName.Parse(location) is { Kind: LocationKind.Prefix or LocationKind.PrefixNoRegex or LocationKind.Exact } n ? n.Name : "";
        var target = value.IsLiteral && ProxyTarget.TryParse(url, out var t, out _) ? t : null;
        return new ProxyPass(url, value, target, prefix);
    }

    private void ApplyProxyRedirect(ProxySettings p, BoundDirective d, HashSet<string> started)
    {
        var first = Start(started, "proxy_redirect");
        if (d.Arg(0) == "off")
        {
            p.Redirects = [];
            return;
        }

        var rules = first || p.Redirects is null ? [] : p.Redirects.ToList();
        if (d.Arg(0) == "default")
        {
            rules.Add(new ProxyRedirect(true, null, null, ComplexValue.Literal("")));
        }
        else if (d.Arguments.Count >= 2)
        {
            var from = d.Arg(0);
            var replacement = ComplexValue.Parse(d.Arg(1), _variables);
            if (ProxyRewriteRegex.TryParse(d.Name, from, out var pattern, out var ignoreCase))
            {
                rules.Add(new ProxyRedirect(false, null, new CompiledRegex(pattern, ignoreCase, _variables), replacement));
            }
            else
            {
                rules.Add(new ProxyRedirect(false, ComplexValue.Parse(from, _variables), null, replacement));
            }
        }

        p.Redirects = [.. rules];
    }

    /// <summary>A bitmask directive (ngx_conf_set_bitmask_slot): several lines of one level add up.</summary>
    internal static UpstreamIgnoreHeaders ParseIgnoreHeaders(BoundDirective d, UpstreamIgnoreHeaders flags)
    {
        foreach (var arg in d.Arguments)
        {
            flags |= arg.Value.ToLowerInvariant() switch
            {
                "x-accel-redirect" => UpstreamIgnoreHeaders.XAccelRedirect,
                "x-accel-expires" => UpstreamIgnoreHeaders.XAccelExpires,
                "x-accel-limit-rate" => UpstreamIgnoreHeaders.XAccelLimitRate,
                "x-accel-buffering" => UpstreamIgnoreHeaders.XAccelBuffering,
                "x-accel-charset" => UpstreamIgnoreHeaders.XAccelCharset,
                "expires" => UpstreamIgnoreHeaders.Expires,
                "cache-control" => UpstreamIgnoreHeaders.CacheControl,
                "set-cookie" => UpstreamIgnoreHeaders.SetCookie,
                "vary" => UpstreamIgnoreHeaders.Vary,
                _ => UpstreamIgnoreHeaders.None,
            };
        }

        return flags;
    }

    private static NextUpstream ParseNextUpstream(BoundDirective d)
    {
        var flags = NextUpstream.None;
        foreach (var arg in d.Arguments)
        {
            flags |= arg.Value switch
            {
                "error" => NextUpstream.Error,
                "timeout" => NextUpstream.Timeout,
                "invalid_header" => NextUpstream.InvalidHeader,
                "http_500" => NextUpstream.Http500,
                "http_502" => NextUpstream.Http502,
                "http_503" => NextUpstream.Http503,
                "http_504" => NextUpstream.Http504,
                "http_403" => NextUpstream.Http403,
                "http_404" => NextUpstream.Http404,
                "http_429" => NextUpstream.Http429,
                "non_idempotent" => NextUpstream.NonIdempotent,
                _ => NextUpstream.None,
            };
        }

        return flags;
    }
}
