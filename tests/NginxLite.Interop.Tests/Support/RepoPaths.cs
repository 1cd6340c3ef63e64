namespace NginxLite.Interop.Tests.Support;

/// <summary>Finds the repository root (the folder with NginxLite.sln).</summary>
internal static class RepoPaths
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

    public static string Conf => Path.Combine(Root, "conf");

    public static string MimeTypes => Path.Combine(Conf, "mime.types");
}
