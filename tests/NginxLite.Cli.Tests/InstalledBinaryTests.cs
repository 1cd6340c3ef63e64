using NginxLite.TestSupport;
using System.Diagnostics;
using NginxLite.Cli.Tests.NginxTCases;
using NginxLite.Cli.Tests.Support;
using Xunit;

namespace NginxLite.Cli.Tests;

/// <summary>
/// The README contract: after <c>./install.sh</c>, the NativeAOT <c>nginxlite</c> on PATH checks its default config,
/// and prints exactly what the in-process command line prints (no trimming/AOT surprise).
/// </summary>
public sealed class InstalledBinaryTests
{
    [Fact]
    public void InstalledNginxlite_NoArguments_TestsEmbeddedDefaultConfig()
    {
        var r = RunInstalled("-t");

        Assert.Equal(0, r.ExitCode);
        // install.sh builds with --conf-path /etc/nginxlite/nginxlite.conf; without that file, PREFIX/conf's default.
        Assert.Matches(@"^nginxlite: the configuration file (/etc/nginxlite/nginxlite\.conf|/\S+/conf/nginxlite\.conf) syntax is ok\n" +
                       @"nginxlite: configuration file \1 test is successful\n$", r.Stderr);
    }

    [Theory]
    [MemberData(nameof(NginxTCasesTests.CaseNames), MemberType = typeof(NginxTCasesTests))]
    public void InstalledNginxlite_NginxTCase_SameOutputAsInProcess(string name)
    {
        using var prefix = new TempDir();
        var file = Path.Combine(RepoPaths.NginxTCases, name);
        string[] args = ["-t", "-p", prefix.Path, "-c", file];

        var installed = RunInstalled(args);
        var inProcess = CliRunner.Run(args);

        Assert.Equal(inProcess.ExitCode, installed.ExitCode);
        Assert.Equal(inProcess.Stderr, installed.Stderr);
    }

    [Fact]
    public void InstallScript_WithoutDotnet_SaysSoAndFails()
    {
        using var bin = new TempDir();
        // A PATH with the tools install.sh needs before its SDK check, and no dotnet.
        foreach (var tool in new[] { "dirname", "bash" })
        {
            File.CreateSymbolicLink(Path.Combine(bin.Path, tool), "/usr/bin/" + tool);
        }

        var psi = new ProcessStartInfo("/usr/bin/bash", [Path.Combine(RepoPaths.Root, "install.sh")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        psi.Environment["PATH"] = bin.Path;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();

        Assert.Equal(1, p.ExitCode);
        Assert.Contains("the .NET SDK 10 is required but 'dotnet' is not on PATH", stderr);
    }

    /// <summary>Runs <c>$NGINXLITE_BIN</c> (a fresh build) when set, else the <c>nginxlite</c> on PATH.</summary>
    internal static CliResult RunInstalled(params string[] args)
    {
        var exe = Environment.GetEnvironmentVariable("NGINXLITE_BIN") is { Length: > 0 } bin ? bin : (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "nginxlite"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginxlite is not on PATH: run ./install.sh first (the README's test command does)");
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new CliResult(p.ExitCode, stdout.Result, stderr);
    }
}
