namespace NginxLite.Config.Tests.Validation.Security;

/// <summary>A temp folder for config files, removed after the test.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nginxlite-lint-").FullName;

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
