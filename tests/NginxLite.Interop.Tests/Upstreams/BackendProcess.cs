using Xunit;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// An application server (php-fpm, fcgiwrap, uWSGI) started in the foreground on a Unix socket in a temp dir, ready
/// once the socket accepts, stopped by its PID (<see cref="StopSignal"/>, then SIGKILL after 5 s).
/// </summary>
public sealed class BackendProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly int _stopSignal;

    private BackendProcess(Process process, string socket, int stopSignal)
    {
        _process = process;
        Socket = socket;
        _stopSignal = stopSignal;
    }

    /// <summary>The Unix socket path (without <c>unix:</c>).</summary>
    public string Socket { get; }

    public int Pid => _process.Id;

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

    public static BackendProcess Start(string file, IEnumerable<string> args, string socket, int stopSignal, string? workingDirectory = null)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{file} is missing: run ./install.sh --test-peers");
        }

        var psi = new ProcessStartInfo(file, args)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(socket)!,
        };
        var process = Process.Start(psi)!;
        var backend = new BackendProcess(process, socket, stopSignal);
        process.OutputDataReceived += (_, e) => backend.Append(e.Data);
        process.ErrorDataReceived += (_, e) => backend.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!backend.Accepts())
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                var why = process.HasExited ? $"exited with {process.ExitCode}" : "did not open its socket in 15 s";
                backend.Dispose();
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} {why}:\n{backend.Output}");
            }

            Thread.Sleep(50);
        }

        return backend;
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

    private bool Accepts()
    {
        if (!File.Exists(Socket))
        {
            return false;
        }

        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(Socket));
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
                PosixSignal.Send(_process.Id, _stopSignal);
                if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    PosixSignal.Send(_process.Id, PosixSignal.Kill);
                    _process.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
