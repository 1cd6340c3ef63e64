using System.Diagnostics;

namespace NginxLite.Ini.Tests.Differential;

/// <summary>
/// Runs the real uWSGI (Debian's 2.0.21, <c>./install.sh --test-peers</c>) on an ini with <c>--show-config</c>, which
/// prints every key after uWSGI's own expansion, then makes it stop before it binds anything: a last
/// <c>--chdir</c> to a missing directory fails right after configuration.
/// </summary>
internal static class UwsgiShowConfig
{
    public const string Binary = "/usr/bin/uwsgi";
    private const string Probe = "/nonexistent/nginxlite-probe";

    public static List<(string Key, string Value)> Run(string ini, string workingDirectory, bool strict = false)
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: run ./install.sh --test-peers (Debian's uwsgi and uwsgi-plugin-python3)");
        var start = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["--plugin", "python3", .. strict ? ["--strict"] : Array.Empty<string>(), "--ini", ini, "--show-config", "--chdir", Probe])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"uwsgi did not stop on {ini}");
        }

        Output = stdout.Result + stderr.Result;
        ExitCode = process.ExitCode;
        return Parse(Output);
    }

    [ThreadStatic]
    public static string? Output;

    [ThreadStatic]
    public static int ExitCode;

    private static List<(string, string)> Parse(string output)
    {
        var lines = output.Split('\n');
        var begin = Array.IndexOf(lines, ";uWSGI instance configuration");
        var end = Array.IndexOf(lines, ";end of configuration");
        if (begin < 0 || end < begin)
        {
            return [];
        }

        var pairs = lines[(begin + 2)..end].Select(l =>
        {
            var at = l.IndexOf(" = ", StringComparison.Ordinal);
            return at < 0 ? (l, "") : (l[..at], l[(at + 3)..]);
        }).ToList();

        // Drop what the command line added: plugin and ini first, show-config and the probe chdir last.
        return pairs[2..^2];
    }
}
