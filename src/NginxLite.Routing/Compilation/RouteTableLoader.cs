using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Routing.Compilation;

/// <summary>The outcome of loading a config for serving: the <c>-t</c> result and, when it is ok, the route table.</summary>
public sealed record RouteTableLoad(ConfigTestResult Test, RouteTable? Table);

/// <summary>Check then compile, the way serving and reload both need it.</summary>
public static class RouteTableLoader
{
    public static RouteTableLoad Load(string configFile, string prefix, string? globalDirectives = null)
    {
        var load = new LoadOptions { ConfigDirectory = Path.GetDirectoryName(configFile), GlobalDirectives = globalDirectives };
        var test = ConfigTest.Run(configFile, load, new BindOptions { Prefix = prefix });
        return Finish(test, prefix, load.ConfigDirectory);
    }

    public static RouteTableLoad LoadText(string text, string prefix, string fileName = "nginxlite.conf")
    {
        var full = Path.IsPathRooted(fileName) ? fileName : Path.Combine(prefix, fileName);
        var load = new LoadOptions { ConfigDirectory = Path.GetDirectoryName(full) };
        var test = ConfigTest.RunText(text, full, load, new BindOptions { Prefix = prefix, CheckEnvironment = false });
        return Finish(test, prefix, load.ConfigDirectory);
    }

    private static RouteTableLoad Finish(ConfigTestResult test, string prefix, string? configDirectory)
    {
        if (!test.Ok || test.Bound is null)
        {
            return new(test, null);
        }

        var table = RouteTableCompiler.Compile(test.Bound, prefix, configDirectory);
        if (table.CompileDiagnostics.Count == 0)
        {
            return new(test, table);
        }

        // An app's ini is read while compiling: its errors fail the load like any -t error.
        var all = test with { Diagnostics = [.. test.Diagnostics, .. table.CompileDiagnostics] };
        return new(all, all.Ok ? table : null);
    }
}
