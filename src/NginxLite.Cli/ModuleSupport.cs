using NginxLite.Config.Directives;

namespace NginxLite.Cli;

/// <summary>Which nginx modules NginxLite does not implement, read from the directive tables (the single source).</summary>
internal static class ModuleSupport
{
    /// <summary>
    /// nginx modules all of whose directives are unsupported, named as nginx's configure script names them
    /// (<c>ngx_http_ssi_filter_module</c> is <c>http_ssi_module</c>; <c>image_filter</c> keeps its name).
    /// </summary>
    public static IEnumerable<string> UnimplementedModules() =>
        DirectiveRegistry.All
            .Where(s => s.Module.StartsWith("ngx_", StringComparison.Ordinal))
            .GroupBy(s => s.Module, StringComparer.Ordinal)
            .Where(g => g.All(s => s.Support == DirectiveSupport.Unsupported))
            .Select(g => ConfigureName(g.Key))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static string ConfigureName(string module)
    {
        var name = module["ngx_".Length..];
        return name.Contains("image_filter", StringComparison.Ordinal) ? name : name.Replace("_filter_module", "_module", StringComparison.Ordinal);
    }
}
