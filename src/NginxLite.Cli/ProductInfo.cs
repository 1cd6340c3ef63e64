namespace NginxLite.Cli;

/// <summary>Names and versions printed by <c>-v</c>/<c>-V</c> and used in messages.</summary>
internal static class ProductInfo
{
    public const string Name = "nginxlite";
    public const string Version = "0.1.0";

    /// <summary>The nginx release whose directive set and <c>-t</c> messages we follow.</summary>
    public const string NginxCompatibleVersion = "1.22.1";

    public const string DefaultConfigFile = "conf/nginxlite.conf";

    /// <summary>
    /// The prefix when <c>-p</c> is not given: the directory holding the executable when it has a <c>conf/</c>
    /// (installed layout: PREFIX/nginxlite, PREFIX/conf), else its parent.
    /// </summary>
    public static string DefaultPrefix
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("NGINXLITE_PREFIX");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            var baseDir = AppContext.BaseDirectory;
            if (File.Exists(Path.Combine(baseDir, DefaultConfigFile)))
            {
                return baseDir;
            }

            var parent = Directory.GetParent(baseDir.TrimEnd('/'))?.FullName;
            return parent is null ? baseDir : parent + "/";
        }
    }
}
