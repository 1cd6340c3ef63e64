using System.Diagnostics;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// <c>echo_backend.py</c> (python3's http.server) as a real upstream on a loopback port or a Unix socket, started
/// before the servers and stopped by its PID. It answers with the request it saw as JSON (see the script).
/// </summary>
public sealed class EchoBackend : IDisposable
{
    private readonly Process _process;

    public EchoBackend(string where)
    {
        Where = where;
        var script = Path.Combine(AppContext.BaseDirectory, "Upstreams", "echo_backend.py");
        var psi = new ProcessStartInfo("python3", [script, where])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi)!;
        var ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(10)) || ready.Result != "ready")
        {
            Dispose();
            throw new InvalidOperationException($"echo backend did not start on {where}: {_process.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>The port number or <c>unix:/path</c> it listens on.</summary>
    public string Where { get; }

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
}
