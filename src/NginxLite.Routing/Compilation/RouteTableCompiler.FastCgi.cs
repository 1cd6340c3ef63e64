using NginxLite.Config.Binding;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>Applies one fastcgi_* directive to the level's settings; false when <paramref name="d"/> is not one.</summary>
    private bool ApplyFastCgi(LocationSettings s, BoundDirective d, HashSet<string> started)
    {
        if (!d.Name.StartsWith("fastcgi_", StringComparison.Ordinal))
        {
            return false;
        }

        var f = s.FastCgi.Clone();
        switch (d.Name)
        {
            case "fastcgi_pass":
                f.Pass = ComplexValue.Parse(d.Arg(0), _variables);
                s.Upstream = new UpstreamPass(d.Name, d.Arg(0), true);
                break;
            case "fastcgi_index":
                f.Index = d.Arg(0);
                break;
            case "fastcgi_split_path_info":
                f.SplitPathInfo = new CompiledRegex(d.Arg(0), false, _variables);
                break;
            case "fastcgi_keep_conn":
                f.KeepConn = d.Arg(0) == "on";
                break;
            default:
                if (!ApplyCgiUpstream(f, "fastcgi_", d.Name["fastcgi_".Length..], d, started))
                {
                    return false; // accepted by -t, not used by the engine (fastcgi_cache …)
                }

                break;
        }

        s.FastCgi = f;
        return true;
    }
}
