using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary><c>nginxlite_status FORMAT;</c>: <c>json</c> is the one format (the HTML dashboard is <c>status_page on;</c>).</summary>
public static class StatusFormatCheck
{
    public static void Json(BoundDirective directive, BindScope scope)
    {
        if (directive.Arg(0) != "json")
        {
            scope.Emerg(directive, $"invalid value \"{directive.Arg(0)}\" in \"{directive.Name}\" directive, it must be \"json\"");
        }
    }
}
