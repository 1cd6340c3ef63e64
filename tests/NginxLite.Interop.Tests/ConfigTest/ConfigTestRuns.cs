using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;

namespace NginxLite.Interop.Tests.ConfigTest;

/// <summary>
/// The runs the differential config tests share: <c>nginx -t</c> and a foreground start on the same file, Debian's
/// nginx and nginxlite, and the <c>[emerg]</c> text both print (ngx_log_error's "[emerg] " level prefix).
/// </summary>
internal static partial class ConfigTestRuns
{
    /// <summary><c>-t -p prefix -c conf</c>, nginx then nginxlite.</summary>
    public static ((int ExitCode, string Stderr) Nginx, (int ExitCode, string Stderr) Lite) Test(string prefix, string conf) =>
        (CommandRun.Run(NginxFlavor.Binary, "-t", "-p", prefix, "-c", conf),
            CommandRun.Run(NginxLiteExecutable.Find().Path, "-t", "-p", prefix, "-c", conf));

    /// <summary>A foreground start (<see cref="StartOnce"/>), nginx then nginxlite.</summary>
    public static ((int ExitCode, string Stderr) Nginx, (int ExitCode, string Stderr) Lite) Start(string prefix, string conf) =>
        (StartOnce(NginxFlavor.Binary, prefix, conf), StartOnce(NginxLiteExecutable.Find().Path, prefix, conf));

    /// <summary>Starts a server in the foreground on a config that should not start; one that does start anyway is
    /// stopped by its PID after 30 s and reported with exit code -1.</summary>
    public static (int ExitCode, string Stderr) StartOnce(string exe, string prefix, string conf)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(exe, ["-p", prefix, "-c", conf, "-g", "daemon off;"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (-1, stderr.Result);
        }

        return (p.ExitCode, stderr.Result);
    }

    /// <summary>The text after "[emerg] " (nginx puts "PID#TID: " before it once its error log is open).</summary>
    public static string? Emerg(string stderr) =>
        stderr.Split('\n').FirstOrDefault(l => l.Contains("[emerg] ", StringComparison.Ordinal)) is { } line
            ? ThreadPrefix().Replace(line[(line.IndexOf("[emerg] ", StringComparison.Ordinal) + 8)..], "")
            : null;

    [GeneratedRegex(@"^\d+#\d+: ")]
    private static partial Regex ThreadPrefix();
}
