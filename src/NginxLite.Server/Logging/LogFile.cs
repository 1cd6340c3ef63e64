using System.Text;
using Microsoft.Win32.SafeHandles;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;

namespace NginxLite.Server.Logging;

/// <summary>One open log file, appended to line by line (unbuffered, as nginx writes by default), reopened on SIGUSR1.</summary>
public sealed class LogFile : IDisposable
{
    private readonly Lock _lock = new();
    private const long FailureReportInterval = 60_000; // ms: nginx's "now - log->error_log_time > 59"
    private Stream? _stream;
    private long _lastFailureReported;

    public LogFile(string path)
    {
        Path = path;
        _stream = Open(path);
    }

    public string Path { get; }

    /// <summary>
    /// Appends one line. A failed write (a full disk) never fails the request; as ngx_http_log_write does, the failure
    /// is returned at most once a minute per file so the caller can log nginx's
    /// <c>[alert] write() to "…" failed (28: No space left on device)</c>; null otherwise.
    /// </summary>
    public IOException? WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_lock)
        {
            try
            {
                _stream?.Write(bytes);
                return null;
            }
            catch (IOException e)
            {
                var now = Environment.TickCount64;
                if (_lastFailureReported != 0 && now - _lastFailureReported < FailureReportInterval)
                {
                    return null;
                }

                _lastFailureReported = now;
                return e;
            }
        }
    }

    /// <summary>How a write failure reads in nginx's words: "(28: No space left on device)".</summary>
    public static string DescribeFailure(IOException e)
    {
        // On Unix an IOException from a failed write carries the raw errno as its HResult.
        var errno = e.HResult;
        return errno is > 0 and < 4096
            ? $"({errno}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)})"
            : $"({e.Message})";
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
        catch (UnauthorizedAccessException)
        {
            return OpenThroughHelper(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// After <c>user</c> dropped privileges, a log whose directory only root may enter (USR1 after logrotate renamed
    /// it, or a reload's new log) is opened by the root helper, as nginx's root master reopens the logs for its
    /// workers (ngx_reopen_files); it opens only logs the configuration names (docs/cgi.md, "Privileged helper").
    /// Bounded wait: USR1 and reload are not on the request path.
    /// </summary>
    private static FileStream? OpenThroughHelper(string path)
    {
        if (PrivilegedHelper.Current is not { IsAlive: true } helper || UnixAccount.EffectiveUid == 0)
        {
            return null;
        }

        try
        {
            var fd = helper.OpenLogAsync(path).WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1);
        }
        catch (Exception e) when (e is PrivilegedHelperException or TimeoutException or IOException)
        {
            return null;
        }
    }
}
