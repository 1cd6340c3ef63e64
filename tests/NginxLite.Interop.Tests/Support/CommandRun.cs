using System.Diagnostics;

namespace NginxLite.Interop.Tests.Support;

/// <summary>A short command run to its end (<c>nginx -t</c>, <c>nginxlite -t</c>): its exit code and stderr.</summary>
internal static class CommandRun
{
    public static (int ExitCode, string Stderr) Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        _ = stdout.Result;
        return (p.ExitCode, stderr);
    }
}
