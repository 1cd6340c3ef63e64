using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>Every <c>cgi_user</c> of the configuration: what the privileged helper may spawn as.</summary>
    private readonly HashSet<(string User, string? Group)> _cgiUsers = [];

    /// <summary>Applies one cgi_* directive to the level's settings; false when <paramref name="d"/> is not one.</summary>
    private bool ApplyCgi(LocationSettings s, BoundDirective d, HashSet<string> started)
    {
        if (!d.Name.StartsWith("cgi", StringComparison.Ordinal))
        {
            return false;
        }

        switch (d.Name)
        {
            case "cgi":
                // "cgi on" is set in Apply; "cgi off" in a nested location turns an inherited cgi off.
                if (s.Upstream is { Directive: "cgi" })
                {
                    s.Upstream = null;
                }

                return true;
            case "cgi_user":
                var cgi = Cgi(s);
                cgi.User = d.Arg(0);
                cgi.Group = d.Arguments.Count > 1 ? d.Arg(1) : null;
                _cgiUsers.Add((cgi.User, cgi.Group));
                return true;
            case "cgi_timeout":
                Cgi(s).Timeout = NginxValue.TryParseTime(d.Arg(0), out var t) ? t : s.Cgi.Timeout;
                return true;
            case "cgi_param":
                var list = Start(started, "cgi_param") ? [] : s.Cgi.Params.ToList();
                list.Add(new CgiParam(d.Arg(0), ComplexValue.Parse(d.Arg(1), _variables)));
                Cgi(s).Params = [.. list];
                return true;
            case "cgi_interpreter":
                var map = Start(started, "cgi_interpreter")
                    ? new Dictionary<string, string>(StringComparer.Ordinal)
                    : new Dictionary<string, string>(s.Cgi.Interpreters, StringComparer.Ordinal);
                map[d.Arg(0).StartsWith('.') ? d.Arg(0) : "." + d.Arg(0)] = d.Arg(1);
                Cgi(s).Interpreters = map;
                return true;
            case "cgi_allow_root_owned":
                Cgi(s).AllowRootOwned = d.Arg(0) == "on";
                return true;
            case "cgi_max_procs":
                Cgi(s).MaxProcs = NginxValue.TryParseDigits(d.Arg(0), out var max) && max is > 0 and <= 4096 ? (int)max : s.Cgi.MaxProcs;
                return true;
            case "cgi_preload":
                Cgi(s).PreloadPython = d.Arg(0).Equals("python", StringComparison.OrdinalIgnoreCase);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A fresh copy of the cgi settings for this write (copy on write: the parent's object is never changed).</summary>
    private static CgiSettings Cgi(LocationSettings s) => s.Cgi = s.Cgi.Clone();
}
