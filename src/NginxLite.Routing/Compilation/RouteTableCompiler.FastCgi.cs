using NginxLite.Config.Binding;
using NginxLite.Routing.Settings;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>Applies one fastcgi_* directive to the level's settings; false when <paramref name="d"/> is not one.</summary>
    private bool ApplyFastCgi(LocationSettings s, BoundDirective d, HashSet<string> started)
    {
        _ = s;
        _ = d;
        _ = started;
        return false;
    }
}
