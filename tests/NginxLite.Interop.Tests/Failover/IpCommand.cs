using System.Diagnostics;

namespace NginxLite.Interop.Tests.Failover;

/// <summary>Runs iproute2's <c>ip</c> (we are root in the test environment) and waits for it; a failure throws with its stderr.</summary>
internal static class IpCommand
{
    public const string Binary = "/usr/sbin/ip";

    public static void Run(params string[] args)
    {
        var (code, error) = TryRun(args);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {error}");
        }
    }

    /// <summary>Runs <c>ip</c>; returns its exit code and stderr (for cleanup, where a failure is reported, not thrown).</summary>
    public static (int Code, string Error) TryRun(params string[] args)
    {
        var psi = new ProcessStartInfo(File.Exists(Binary) ? Binary : "ip", args)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            return (-1, "timed out after 30 s");
        }

        return (process.ExitCode, error.Result.Trim());
    }

    /// <summary>The output of <c>ip ARGS</c> (e.g. <c>-o addr</c>).</summary>
    public static string Output(params string[] args)
    {
        var psi = new ProcessStartInfo(File.Exists(Binary) ? Binary : "ip", args)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }
}
