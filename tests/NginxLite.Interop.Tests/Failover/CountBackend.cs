using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace NginxLite.Interop.Tests.Failover;

/// <summary>
/// <c>count_backend.py</c> run inside a lab host's namespace (<c>ip netns exec NS python3 …</c>: ip execs python3
/// after entering the namespace, so the PID we hold is the backend's) on ADDRESS:8080. It writes its running request
/// count every 100 ms to a file (the mount namespace is shared), which is read after the run: the backend's own view
/// of what reached it, also for the time it was cut off. Stopped by its PID (SIGKILL; it holds no state).
/// </summary>
internal sealed class CountBackend : IDisposable
{
    public const int Port = 8080;

    private readonly Process _process;

    private CountBackend(NetnsHost host, Process process, string countFile)
    {
        Host = host;
        _process = process;
        CountFile = countFile;
    }

    public NetnsHost Host { get; }

    public string CountFile { get; }

    /// <summary>host:port as the proxies print it in their error logs.</summary>
    public string Address => Host.Address + ":" + Port.ToString(CultureInfo.InvariantCulture);

    public static CountBackend Start(NetnsHost host, string name, string directory)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Failover", "count_backend.py");
        var countFile = Path.Combine(directory, name + ".counts");
        var psi = new ProcessStartInfo(File.Exists(IpCommand.Binary) ? IpCommand.Binary : "ip",
            ["netns", "exec", host.Namespace, "python3", script, name, host.Address, Port.ToString(CultureInfo.InvariantCulture), countFile])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var backend = new CountBackend(host, process, countFile);
        var clock = Stopwatch.StartNew();
        while (!backend.Accepts())
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                backend.Dispose();
                throw new InvalidOperationException($"count_backend.py in {host.Namespace} did not listen on {host.Address}:{Port}");
            }

            Thread.Sleep(50);
        }

        return backend;
    }

    /// <summary>The (unix ms, running count) samples written so far.</summary>
    public IReadOnlyList<(long Ms, long Count)> Samples() =>
        File.ReadAllLines(CountFile)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 2)
            .Select(parts => (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture)))
            .ToList();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private bool Accepts()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(Host.Address, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
