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
                // uwsgi_pass also takes uwsgi://host:port and suwsgi:// (TLS, not served).
                var target = d.Arg(0).StartsWith("uwsgi://", StringComparison.Ordinal) ? d.Arg(0)["uwsgi://".Length..] : d.Arg(0);
                u.Pass = ComplexValue.Parse(target, _variables);
                s.Upstream = new UpstreamPass(d.Name, target, true);
                break;
            case "uwsgi_modifier1":
                u.Modifier1 = byte.TryParse(d.Arg(0), NumberStyles.None, CultureInfo.InvariantCulture, out var m1) ? m1 : u.Modifier1;
                break;
            case "uwsgi_modifier2":
                u.Modifier2 = byte.TryParse(d.Arg(0), NumberStyles.None, CultureInfo.InvariantCulture, out var m2) ? m2 : u.Modifier2;
                break;
            default:
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
