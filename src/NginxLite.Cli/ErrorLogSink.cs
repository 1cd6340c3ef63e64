using System.Globalization;
using NginxLite.Config.Validation;

namespace NginxLite.Cli;

/// <summary>
/// Where <c>-t</c> messages go. Always to stderr in the nginx.org form (<c>nginxlite: [emerg] …</c>); with
/// <c>-e FILE</c> also appended to FILE in nginx's error-log form (<c>YYYY/MM/DD HH:MM:SS [emerg] PID#0: …</c>).
/// </summary>
internal sealed class ErrorLogSink : IDisposable
{
    private readonly TextWriter _stderr;
    private readonly StreamWriter? _file;

    private ErrorLogSink(TextWriter stderr, StreamWriter? file)
    {
        _stderr = stderr;
        _file = file;
    }

    public TextWriter Stderr => _stderr;

    public static ErrorLogSink Open(string? path, string prefix, TextWriter stderr)
    {
        if (path is null || path == "stderr")
        {
            return new ErrorLogSink(stderr, null);
        }

        var full = Path.IsPathRooted(path) ? path : prefix + path;
        try
        {
            var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            return new ErrorLogSink(stderr, new StreamWriter(stream) { AutoFlush = true });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // nginx warns and goes on logging to stderr when it cannot open the -e file.
            stderr.WriteLine($"{ProductInfo.Name}: [alert] could not open error log file: open() \"{full}\" failed ({e.Message})");
            return new ErrorLogSink(stderr, null);
        }
    }

    public void Write(Diagnostic diagnostic)
    {
        _stderr.WriteLine($"{ProductInfo.Name}: {diagnostic}");
        if (_file is not null)
        {
            var text = diagnostic.ToString();
            var close = text.IndexOf(']', StringComparison.Ordinal);
            var stamp = DateTime.Now.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);
            // The server's own error log may be this file and have grown since it was opened (FileMode.Append seeks to
            // the end once, it is not O_APPEND): write at the end, not over the lines written meanwhile.
            _file.BaseStream.Seek(0, SeekOrigin.End);
            _file.WriteLine($"{stamp} {text[..(close + 1)]} {Environment.ProcessId}#0:{text[(close + 1)..]}");
        }
    }

    /// <summary>A plain line such as "configuration file X test failed" (stderr only, as nginx).</summary>
    public void Notice(string line) => _stderr.WriteLine($"{ProductInfo.Name}: {line}");

    public void Dispose() => _file?.Dispose();
}
