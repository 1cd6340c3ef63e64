using System.Text;

namespace NginxLite.Server.Logging;

/// <summary>One open log file, appended to line by line (unbuffered, as nginx writes by default), reopened on SIGUSR1.</summary>
public sealed class LogFile : IDisposable
{
    private readonly Lock _lock = new();
    private Stream? _stream;

    public LogFile(string path)
    {
        Path = path;
        _stream = Open(path);
    }

    public string Path { get; }

    public void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_lock)
        {
            try
            {
                _stream?.Write(bytes);
            }
            catch (IOException)
            {
                // A full disk must not fail the request; nginx also just loses the line.
            }
        }
    }

    public void Reopen()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = Open(Path);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private static Stream? Open(string path)
    {
        if (path == "stderr")
        {
            return Console.OpenStandardError();
        }

        try
        {
            var dir = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
