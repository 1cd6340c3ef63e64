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
        // 30 s: python's start-up is slow on a loaded 2-core machine (10 s was seen to run out).
        if (!ready.Wait(TimeSpan.FromSeconds(30)) || ready.Result != "ready")
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            var stderr = _process.StandardError.ReadToEnd(); // read before Dispose: afterwards the stream is gone
            Dispose();
            throw new InvalidOperationException($"echo backend did not start on {where}: {stderr}");
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
