using System.Reflection;

namespace NginxLite.Cli;

/// <summary>
/// Which config file runs when <c>-c</c> is not given. nginx compiles one path in (<c>./configure --conf-path</c>;
/// Debian: /etc/nginx/nginx.conf). NginxLite likewise: <c>install.sh</c> builds with
/// <c>-p:NginxLiteConfPath=/etc/nginxlite/nginxlite.conf</c>. That file is used when it exists; otherwise the default
/// config shipped beside the binary (<c>PREFIX/conf/nginxlite.conf</c>), so a fresh or development build still starts.
/// </summary>
internal static class ConfigPathResolver
{
    /// <summary>The <c>--conf-path</c> this binary was built with, or null (a development build).</summary>
    public static string? ConfiguredPath { get; } = typeof(ConfigPathResolver).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "NginxLiteConfPath" && !string.IsNullOrEmpty(a.Value))?.Value;

    /// <summary>The config file to read: <paramref name="commandLine"/> (<c>-c</c>) when given, else the configured path when it
    /// exists, else the shipped default. A relative path is relative to the prefix, as in nginx.</summary>
    public static string Resolve(string? commandLine, string prefix, string? configuredPath, Func<string, bool> exists)
    {
        var file = commandLine
            ?? (configuredPath is not null && exists(Absolute(configuredPath, prefix)) ? configuredPath : ProductInfo.DefaultConfigFile);
        return Absolute(file, prefix);
    }

    /// <summary>What <c>-V</c> prints as <c>--conf-path</c> and <c>-h</c> as the <c>-c</c> default.</summary>
    public static string DisplayedDefault => ConfiguredPath ?? ProductInfo.DefaultConfigFile;

    // nginx resolves a relative -c against the prefix, not the working directory.
    private static string Absolute(string file, string prefix) => Path.IsPathRooted(file) ? file : prefix + file;
}
