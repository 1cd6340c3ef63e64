using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary>
/// A server started from a directory the way a user starts it (<c>nginxlite --ini uwsgi.ini</c>, <c>nginxlite wsgi …</c>,
/// <c>gunicorn …</c>, <c>uwsgi --ini …</c>), ready once its TCP port or Unix socket accepts, stopped by its PID
/// (SIGTERM, or SIGINT for uWSGI whose SIGTERM reloads; SIGKILL after 10 s).
/// </summary>
public sealed class FrontEndProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly int _stopSignal;

    private FrontEndProcess(Process process, int stopSignal)
    {
        _process = process;
        _stopSignal = stopSignal;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static FrontEndProcess Start(string file, IEnumerable<string> args, string workingDirectory, int? port = null, string? socket = null, IDictionary<string, string>? environment = null, int stopSignal = PosixSignal.Term)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var p = new FrontEndProcess(Process.Start(psi)!, stopSignal);
        p._process.OutputDataReceived += (_, e) => p.Append(e.Data);
        p._process.ErrorDataReceived += (_, e) => p.Append(e.Data);
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        if (port is null && socket is null)
        {
            return p;
        }

        var clock = Stopwatch.StartNew();
        while (!(port is { } tcp ? AcceptsTcp(tcp) : AcceptsUnix(socket!)))
        {
            if (p._process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                var why = p._process.HasExited ? $"exited with {p._process.ExitCode}" : "is not accepting after 30 s";
                p.Dispose();
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} {why}:\n{p.Output}");
            }

            Thread.Sleep(50);
        }

        return p;
    }

    /// <summary>Runs to completion (for commands that must fail at start-up) and returns the exit code.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit();
        return true;
    }

    /// <summary>
    /// True once <paramref name="text"/> is in <see cref="Output"/> (polled, at most 30 s). The output is read
    /// asynchronously, so a line the process wrote before an effect the test saw may not have been read yet.
    /// </summary>
    public bool OutputShows(string text) => AppCliPeers.Eventually(() => Output.Contains(text, StringComparison.Ordinal));

    /// <summary>The PIDs whose parent is this process (the app workers), from /proc/*/stat.</summary>
    public IReadOnlyList<int> Children() => ChildrenOf(Pid);

    /// <summary>Live (non-zombie) processes whose parent is <paramref name="parent"/>, from /proc/*/stat.</summary>
    public static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return children;
    }

    /// <summary>Sends <paramref name="signal"/> and waits for the exit; true when it exited in time.</summary>
    public bool Stop(int signal, TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            PosixSignal.Send(_process.Id, signal);
        }

        return WaitForExit(timeout);
    }

    private static bool IsOrphan(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] != "Z" && fields[1] == "1";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static bool AcceptsTcp(int port)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool AcceptsUnix(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                var children = Children();
                PosixSignal.Send(_process.Id, _stopSignal);
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    PosixSignal.Send(_process.Id, PosixSignal.Kill);
                    _process.WaitForExit(TimeSpan.FromSeconds(5));
                }

                // A worker the server failed to stop (seen with uWSGI: a worker spinning after SIGINT, orphaned when its
                // master was killed) is one this test started: stop it by its PID, if that PID is still an orphan of ours.
                foreach (var pid in children.Where(IsOrphan))
                {
                    PosixSignal.Send(pid, PosixSignal.Kill);
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
