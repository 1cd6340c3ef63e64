namespace NginxLite.Config.Tests.TestSupport;

/// <summary>The shared corpus (<c>../shared/corpus</c> from the repository root).</summary>
public static class Corpus
{
    public static string Root { get; } = FindRoot();

    public static string RepoRoot { get; } = FindRepo();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "NginxLite.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("NginxLite.sln not found above the test binaries");
    }

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("NGINXLITE_CORPUS");
        return env ?? System.IO.Path.GetFullPath(System.IO.Path.Combine(FindRepo(), "../shared/corpus"));
    }
}
