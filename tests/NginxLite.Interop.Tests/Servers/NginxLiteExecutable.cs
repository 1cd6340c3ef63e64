namespace NginxLite.Interop.Tests.Servers;

/// <summary>
/// Where the <c>nginxlite</c> under test comes from, first match wins:
/// 1. <c>$NGINXLITE_BIN</c> (an executable path; an error if it does not exist);
/// 2. <c>nginxlite</c> on <c>$PATH</c> (what <c>./install.sh</c> links as /usr/local/bin/nginxlite);
/// 3. the build output of src/NginxLite.Cli (bin/Release or bin/Debug, the newer one), built with this project.
/// </summary>
internal sealed record NginxLiteExecutable(string Path, string FoundBy)
{
    public const string EnvironmentVariable = "NGINXLITE_BIN";

    private static readonly Lazy<NginxLiteExecutable> Cached = new(Locate);

    public static NginxLiteExecutable Find() => Cached.Value;

    private static NginxLiteExecutable Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(fromEnv)
                ? new NginxLiteExecutable(fromEnv, "$" + EnvironmentVariable)
                : throw new FileNotFoundException($"${EnvironmentVariable} is {fromEnv}, which does not exist");
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, "nginxlite");
            if (File.Exists(candidate))
            {
                return new NginxLiteExecutable(candidate, "$PATH");
            }
        }

        var built = new[] { "Release", "Debug" }
            .Select(c => System.IO.Path.Combine(NginxLite.TestSupport.RepoPaths.Root, "src", "NginxLite.Cli", "bin", c, "net10.0", "nginxlite"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
        return built is not null
            ? new NginxLiteExecutable(built, "the build output of src/NginxLite.Cli")
            : throw new FileNotFoundException(
                $"no nginxlite executable: set ${EnvironmentVariable}, run ./install.sh, or build src/NginxLite.Cli");
    }

    public override string ToString() => $"{Path} (found by {FoundBy})";
}
