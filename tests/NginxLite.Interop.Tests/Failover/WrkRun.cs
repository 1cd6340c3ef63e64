using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NginxLite.Interop.Tests.Failover;

/// <summary>
/// wrk as a bounded load (<c>-d SECONDS</c>, <c>--timeout 5s</c>), started in the background and stopped by its PID
/// if it outlives its duration. Failed requests are what wrk counts: non-2xx/3xx responses plus socket errors
/// (connect, read, write, timeout), as in tools/security/faults.sh.
/// </summary>
internal sealed partial class WrkRun : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly int _seconds;

    private WrkRun(Process process, int seconds)
    {
        _process = process;
        _seconds = seconds;
        _output = process.StandardOutput.ReadToEndAsync();
    }

    public static WrkRun Start(string url, int connections, int seconds)
    {
        var psi = new ProcessStartInfo("wrk",
            ["-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", seconds.ToString(CultureInfo.InvariantCulture) + "s", "--timeout", "5s", url])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        try
        {
            return new WrkRun(Process.Start(psi)!, seconds);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("wrk is missing: run ./install.sh --test-peers", e);
        }
    }

    /// <summary>Waits for wrk to end (killed after its duration + 15 s) and returns (requests, failed, report).</summary>
    public (long Requests, long Failed, string Report) Result()
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(_seconds + 15)))
        {
            _process.Kill();
            _process.WaitForExit();
        }

        var report = _output.Result;
        var requests = RequestsLine().Match(report) is { Success: true } r ? long.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        long failed = 0;
        if (Non2xx().Match(report) is { Success: true } n)
        {
            failed += long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (SocketErrors().Match(report) is { Success: true } s)
        {
            failed += Enumerable.Range(1, 4).Sum(i => long.Parse(s.Groups[i].Value, CultureInfo.InvariantCulture));
        }

        return (requests, failed, report);
    }

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

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
