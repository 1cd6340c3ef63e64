using NginxLite.Config.Binding;
using NginxLite.Config.Directives;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>load_module modules/ngx_http_geoip_module.so;</c> — Debian's libnginx-mod-* packages add such lines under
/// /etc/nginx/modules-enabled. NginxLite loads no shared objects: a module it implements (its directives are in the
/// tables and supported) is built in and the line is a no-op; any other module is an error where nginx would have
/// loaded it (nginx: dlopen() failed), unless <see cref="BindOptions.IgnoreModules"/> (<c>--ignore-modules</c>)
/// asks to run without it, then one warning per module. Directives of a missing module still fail on their own.
/// </summary>
public sealed class LoadModuleCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        var warned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directive in config.Root.ChildrenNamed("load_module"))
        {
            if (directive.Arguments.Count != 1)
            {
                continue;
            }

            var path = directive.Arg(0);
            var module = ModuleName(path);
            if (IsBuiltIn(module))
            {
                continue;
            }

            if (!scope.Options.IgnoreModules)
            {
                scope.Emerg(directive, $"module \"{module}\" is not available in NginxLite (load_module \"{path}\"); run with --ignore-modules to go on without it");
            }
            else if (warned.Add(module))
            {
                scope.Warn(directive, $"load_module \"{path}\" ignored: module \"{module}\" is not available in NginxLite");
            }
        }
    }

    /// <summary><c>/usr/lib/nginx/modules/ngx_stream_module.so</c> → <c>ngx_stream_module</c> (nginx names the module after its file).</summary>
    public static string ModuleName(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".so", StringComparison.Ordinal) ? name[..^3] : name;
    }

    /// <summary>Implemented when any of its directives is (filter modules are named with or without <c>_filter</c>).</summary>
    public static bool IsBuiltIn(string module) =>
        DirectiveRegistry.All.Any(s =>
            (s.Module == module || s.Module == module.Replace("_module", "_filter_module", StringComparison.Ordinal))
            && s.Support != DirectiveSupport.Unsupported);
}
