namespace NginxLite.Cli;

/// <summary>Which nginx modules NginxLite does not implement, read from the directive tables.</summary>
internal static class ModuleSupport
{
    public static IEnumerable<string> UnimplementedModules() => [];
}
