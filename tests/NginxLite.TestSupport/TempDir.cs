namespace NginxLite.TestSupport;

/// <summary>
/// A private temp directory, removed on dispose. World-readable (0755): nginx started as root serves files
/// as its worker user (nobody) when it runs a master process, and that user must reach the document root.
/// </summary>
public sealed class TempDir : IDisposable
{
    public const UnixFileMode ReadableDirectory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public TempDir(string prefix = "nginxlite-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        System.IO.File.SetUnixFileMode(Path, ReadableDirectory);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> to a file under the directory (parents created); returns its path.</summary>
    public string File(string name, string content)
    {
        var full = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Creates (or returns) a sub-directory, world-readable like the root.</summary>
    public string Dir(string relative)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(full, ReadableDirectory);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp dir does not fail a test.
        }
    }
}
