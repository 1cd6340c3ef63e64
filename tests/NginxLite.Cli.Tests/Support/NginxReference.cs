using System.Diagnostics;

namespace NginxLite.Cli.Tests.Support;

/// <summary>
/// The real nginx (Debian's 1.22.1, installed by <c>./install.sh --test-peers</c>) as the reference for <c>-t</c>.
/// Each run gets its own prefix and error log in a temp dir, so nothing touches /etc/nginx or /var/log.
/// </summary>
internal static class NginxReference
{
    public const string Binary = "/usr/sbin/nginx";

    /// <summary>Runs <c>nginx -t -p DIR -e DIR/error.log -c FILE</c>; returns the exit code and stderr lines.</summary>
    public static (int ExitCode, string[] Lines) Test(string configFile, string prefix)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run ./install.sh --test-peers (the differential tests need the real nginx)");
        }

        var psi = new ProcessStartInfo(Binary, ["-t", "-p", prefix.TrimEnd('/') + "/", "-e", Path.Combine(prefix, "error.log"), "-c", configFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new TimeoutException("nginx -t did not finish in 30 s");
        }

        return (p.ExitCode, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The first <c>[emerg]</c>/<c>[alert]</c>… line without the program name, or "ok".</summary>
    public static string FirstError(string[] lines) =>
        lines.FirstOrDefault(l => l.StartsWith("nginx: [emerg]", StringComparison.Ordinal)
                               || l.StartsWith("nginx: [alert]", StringComparison.Ordinal)
                               || l.StartsWith("nginx: [crit]", StringComparison.Ordinal))?["nginx: ".Length..] ?? "ok";
}
