namespace NginxLite.Interop.Tests.Support;

/// <summary>
/// A private temp directory, removed on dispose. World-readable (0755): nginx started as root serves files
/// as its worker user (nobody) when it runs a master process, and that user must reach the document root.
/// </summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("nginxlite-interop-").FullName;
        File.SetUnixFileMode(Path, ReadableDirectory);
    }

    public const UnixFileMode ReadableDirectory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public string Path { get; }

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
        catch (IOException)
        {
            // Best effort: a leftover temp dir does not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
