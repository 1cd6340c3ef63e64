using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Support;

namespace NginxLite.Interop.Tests.Servers;

/// <summary>
/// One real server process serving a config on a free 127.0.0.1 port, started in the foreground and stopped by its
/// PID (SIGQUIT, then SIGKILL after <see cref="StopTimeout"/>). Start returns once the port accepts connections, or
/// throws <see cref="ServerStartException"/> with the command, exit status, stderr and error log when the process
/// exits or <see cref="StartTimeout"/> passes first.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    /// <summary>A bound, not a speed check: a start normally takes well under a second, but CI runs the interop tests
    /// at load averages of 20+ while other projects build, and a 10 s bound failed a start there.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private const int PortAttempts = 3;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private ServerProcess(ServerFlavor flavor, Process process, string commandLine, int port, string prefix, string errorLog)
    {
        Flavor = flavor;
        _process = process;
        CommandLine = commandLine;
        Port = port;
        Prefix = prefix;
        ErrorLog = errorLog;
    }

    public ServerFlavor Flavor { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public string Prefix { get; }

    public string ErrorLog { get; }

    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits (bounded) for the process to exit on its own, e.g. after a stop signal.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>The exit status, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Writes <c>PREFIX/conf/server.conf</c> from <paramref name="config"/> (given the port) and starts the server.
    /// A port taken between picking and binding ("Address already in use") is retried on another port.
    /// </summary>
    public static ServerProcess Start(ServerFlavor flavor, string prefix, Func<int, string> config) => Start(flavor, prefix, config, null);

    /// <summary>As <see cref="Start(ServerFlavor, string, Func{int, string})"/>, with extra environment variables for
    /// the server process.</summary>
    public static ServerProcess Start(ServerFlavor flavor, string prefix, Func<int, string> config, IReadOnlyDictionary<string, string>? environment)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            try
            {
                return StartOnce(flavor, prefix, port, config(port), environment);
            }
            catch (ServerStartException e) when (attempt < PortAttempts && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                // Another process took the port first; pick again.
            }
        }
    }

    private static ServerProcess StartOnce(ServerFlavor flavor, string prefix, int port, string configText, IReadOnlyDictionary<string, string>? environment)
    {
        Directory.CreateDirectory(Path.Combine(prefix, "conf"));
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var configFile = Path.Combine(prefix, "conf", "server.conf");
        File.WriteAllText(configFile, configText);
        var errorLog = Path.Combine(prefix, "logs", "error.log");
        File.Delete(errorLog);

        var psi = flavor.StartInfo(configFile, prefix, errorLog);
        psi.UseShellExecute = false;
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardInput = true;
        psi.WorkingDirectory = prefix;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        var commandLine = psi.FileName + " " + string.Join(' ', psi.ArgumentList.Select(a => a.Contains(' ') ? $"'{a}'" : a));

        var process = new Process { StartInfo = psi };
        var server = new ServerProcess(flavor, process, commandLine, port, prefix, errorLog);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ServerStartException($"{flavor} could not be started: {commandLine}: {e.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.WaitUntilListening();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drain the redirected output
                throw new ServerStartException($"{Flavor} exited with code {_process.ExitCode} before accepting connections on 127.0.0.1:{Port}\n{Describe()}");
            }

            if (Accepts())
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new ServerStartException($"{Flavor} did not accept connections on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds:0} s\n{Describe()}");
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(IPAddress.Loopback, Port).Wait(TimeSpan.FromMilliseconds(500)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Everything useful for a failure message: command, PID, state, stdout/stderr, the error log's tail.</summary>
    public string Describe()
    {
        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "running";
        var log = File.Exists(ErrorLog) ? Tail(File.ReadAllText(ErrorLog), 30) : "(no error log)";
        return $"  command: {CommandLine}\n  pid {_process.Id}, {state}, port {Port}\n" +
               $"  stdout+stderr:\n{Indent(Tail(output, 30))}\n  {ErrorLog}:\n{Indent(log)}";
    }

    private static string Tail(string text, int lines)
    {
        var all = text.TrimEnd('\n').Split('\n');
        return all.Length <= lines ? string.Join('\n', all) : "…\n" + string.Join('\n', all[^lines..]);
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l));

    /// <summary>SIGQUIT (graceful stop), then SIGKILL if the process is still there after <see cref="StopTimeout"/>.</summary>
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
                PosixSignal.Send(_process.Id, PosixSignal.Quit);
                if (!_process.WaitForExit(StopTimeout))
                {
                    PosixSignal.Send(_process.Id, PosixSignal.Kill);
                    _process.WaitForExit(StopTimeout);
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
