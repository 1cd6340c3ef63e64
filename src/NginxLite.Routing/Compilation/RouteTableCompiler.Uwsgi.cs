using System.Globalization;
using NginxLite.Config.Binding;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>Applies one uwsgi_* directive to the level's settings; false when <paramref name="d"/> is not one.</summary>
    private bool ApplyUwsgi(LocationSettings s, BoundDirective d, HashSet<string> started)
    {
        if (!d.Name.StartsWith("uwsgi_", StringComparison.Ordinal))
        {
            return false;
        }

        var u = s.Uwsgi.Clone();
        switch (d.Name)
        {
            case "uwsgi_pass":
                // ngx_http_uwsgi_pass: "uwsgi://" or "suwsgi://" (uwsgi over TLS) may precede the address, in any case.
                // A target that is only variables keeps its scheme: the handler strips it per request, as
                // ngx_http_uwsgi_eval does (UwsgiTarget).
                var (target, tls) = UwsgiTarget.StripScheme(d.Arg(0));
                u.Pass = ComplexValue.Parse(target, _variables);
                u.Tls = tls;
                s.Upstream = new UpstreamPass(d.Name, target, true);
                break;
            case "uwsgi_modifier1":
                u.Modifier1 = byte.TryParse(d.Arg(0), NumberStyles.None, CultureInfo.InvariantCulture, out var m1) ? m1 : u.Modifier1;
                break;
            case "uwsgi_modifier2":
                u.Modifier2 = byte.TryParse(d.Arg(0), NumberStyles.None, CultureInfo.InvariantCulture, out var m2) ? m2 : u.Modifier2;
                break;
            default:
                if (d.Name.StartsWith("uwsgi_ssl_", StringComparison.Ordinal))
                {
                    // uwsgi_ssl_*: the proxy_ssl_* twins' routine (RouteTableCompiler.UpstreamSsl.cs).
                    u.Ssl = ApplyUpstreamSsl(u.Ssl, d.Name["uwsgi_ssl_".Length..], d) ?? u.Ssl;
                    break;
                }

                if (!ApplyCgiUpstream(u, "uwsgi_", d.Name["uwsgi_".Length..], d, started))
                {
                    return false;
                }

                break;
        }

        s.Uwsgi = u;
        return true;
    }
}
