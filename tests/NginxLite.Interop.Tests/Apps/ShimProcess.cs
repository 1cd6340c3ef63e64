using System.Diagnostics;
using System.Text;
using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// A worker shim started by hand as the supervisor would (the worker contract, docs/app-shims.md): ready once it has
/// written <c>NGINXLITE-READY</c> on stdout, stopped by its PID with SIGTERM (graceful), then SIGKILL after 5 s.
/// Stdout and stderr are kept apart: the READY line must be the only thing on stdout.
/// </summary>
public sealed class ShimProcess : IDisposable
{
    public const string ReadyLine = "NGINXLITE-READY";

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    private ShimProcess(Process process, string socket)
    {
        _process = process;
        Socket = socket;
    }

    public string Socket { get; }

    public int Pid => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="interpreter"/> <paramref name="shim"/> <c>--socket SOCKET</c> + <paramref name="args"/>.</summary>
    public static ShimProcess Launch(string interpreter, string shim, string socket, IEnumerable<string> args, string workingDirectory)
    {
        if (!File.Exists(interpreter))
        {
            throw new InvalidOperationException($"{interpreter} is missing: run ./install.sh --test-peers");
        }

        var psi = new ProcessStartInfo(interpreter)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(shim);
        psi.ArgumentList.Add("--socket");
        psi.ArgumentList.Add(socket);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // As the supervisor does (the contract): unbuffered Python so the app's prints reach the log at once.
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        var process = Process.Start(psi)!;
        var shimProcess = new ShimProcess(process, socket);
        process.OutputDataReceived += (_, e) => shimProcess.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => shimProcess.Append(shimProcess._stderr, e.Data);
        process.Exited += (_, _) => shimProcess._ready.TrySetResult();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return shimProcess;
    }

    /// <summary><see cref="Launch"/> and wait for the READY line; throws with stderr when the shim exits first.</summary>
    public static ShimProcess Start(string interpreter, string shim, string socket, IEnumerable<string> args, string workingDirectory)
    {
        var shimProcess = Launch(interpreter, shim, socket, args, workingDirectory);
        if (!shimProcess._ready.Task.Wait(TimeSpan.FromSeconds(30)) || !shimProcess.Stdout.Contains(ReadyLine, StringComparison.Ordinal))
        {
            var state = shimProcess.HasExited ? $"exited with {shimProcess.ExitCode}" : "did not print " + ReadyLine + " in 30 s";
            var stderr = shimProcess.Stderr;
            shimProcess.Dispose();
            throw new InvalidOperationException($"{shim} {state}:\n{stderr}");
        }

        return shimProcess;
    }

    public static ShimProcess StartWsgi(string socket, string workingDirectory, params string[] args) =>
        Start(ShimPaths.Python, ShimPaths.Wsgi, socket, args, workingDirectory);

    public static ShimProcess StartRack(string socket, string workingDirectory, params string[] args) =>
        Start(ShimPaths.Ruby, ShimPaths.Rack, socket, args, workingDirectory);

    private void OnStdout(string? line)
    {
        Append(_stdout, line);
        if (line == ReadyLine)
        {
            _ready.TrySetResult();
        }
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is not null)
        {
            lock (to)
            {
                to.AppendLine(line);
            }
        }
    }

    /// <summary>Waits (bounded) for the shim to exit and its output to be drained.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit(); // drains the redirected streams
        return true;
    }

    /// <summary>Waits (bounded, 10 s) until stderr contains <paramref name="marker"/>; returns stderr either way.</summary>
    public string WaitForStderr(string marker)
    {
        var clock = Stopwatch.StartNew();
        while (!Stderr.Contains(marker, StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }

        return Stderr;
    }

    public void Signal(int signal) => PosixSignal.Send(_process.Id, signal);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                PosixSignal.Send(_process.Id, PosixSignal.Term);
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
