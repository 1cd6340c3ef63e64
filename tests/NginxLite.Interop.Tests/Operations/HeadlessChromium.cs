using System.Diagnostics;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Operations;

/// <summary>
/// Debian's <c>chromium</c> in headless mode (install.sh --test-peers): a screenshot or the DOM of a page after
/// <c>--virtual-time-budget</c> ms of page time, with a private temp profile. Bounded: a run that does not end in
/// <see cref="Bound"/> is killed (by the PIDs of the process it started and its children) and fails the test.
/// </summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>PNG bytes of <paramref name="url"/> at 1200×900.</summary>
    public static byte[] Screenshot(string url, string hostRule)
    {
        using var dir = new TempDir("nl-chromium-");
        var file = System.IO.Path.Combine(dir.Path, "shot.png");
        var output = Run(dir, [$"--screenshot={file}", "--window-size=1200,900", url], hostRule);
        Assert.True(File.Exists(file), $"chromium wrote no screenshot:\n{output}");
        return File.ReadAllBytes(file);
    }

    /// <summary>The serialized DOM of <paramref name="url"/> once its scripts ran for the time budget.</summary>
    public static string DumpDom(string url, string hostRule)
    {
        using var dir = new TempDir("nl-chromium-");
        return Run(dir, ["--dump-dom", url], hostRule);
    }

    private static string Run(TempDir dir, string[] args, string hostRule)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--user-data-dir=" + System.IO.Path.Combine(dir.Path, "profile"), "--virtual-time-budget=5000",
            // The page's host name resolves to the test server's loopback port, and nothing else goes out.
            "--host-resolver-rules=" + hostRule, .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Bound))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
            Assert.Fail($"chromium did not finish within {Bound.TotalSeconds} s: {stderr.Result}");
        }

        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"chromium exited with {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
