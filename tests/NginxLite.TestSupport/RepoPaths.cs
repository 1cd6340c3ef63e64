namespace NginxLite.TestSupport;

/// <summary>Finds the repository root (the folder with NginxLite.sln) and the shared corpus beside it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NginxLite.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("NginxLite.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootLazy.Value;

    /// <summary><c>../shared</c> next to the repository (CI clones the repo with shared/ beside it).</summary>
    public static string Shared
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            if (!Directory.Exists(shared))
            {
                throw new DirectoryNotFoundException($"the shared corpus is expected at {shared}");
            }

            return shared;
        }
    }

    public static string Corpus => Path.Combine(Shared, "corpus");

    public static string NginxTCases => Path.Combine(Corpus, "nginx-t-cases");

    public static string NginxCorpus => Path.Combine(Corpus, "nginx");

    public static string Conf => Path.Combine(Root, "conf");

    public static string MimeTypes => Path.Combine(Conf, "mime.types");

    /// <summary>../shared/examples/seed: the examples users start from, used as they are.</summary>
    public static string Seed => Path.Combine(Shared, "examples", "seed");
}
