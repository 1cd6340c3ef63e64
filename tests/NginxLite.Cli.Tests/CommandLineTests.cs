using NginxLite.TestSupport;
using System.Diagnostics;
using NginxLite.Cli.Tests.Support;
using Xunit;

namespace NginxLite.Cli.Tests;

public sealed class CommandLineTests
{
    private const string Minimal = """
        events {}
        http {
            server { listen 127.0.0.1:18081; }
        }
        """;

    [Fact]
    public void Version_LowerV_PrintsNameAndNginxVersionToStderr()
    {
        var r = CliRunner.Run("-v");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Matches(@"^nginxlite version: nginxlite/\d+\.\d+\.\d+ \(nginx/1\.22\.1 compatible\)\n$", r.Stderr);
    }

    [Fact]
    public void Version_UpperV_ListsUnimplementedModulesAsWithout()
    {
        var r = CliRunner.Run("-V");
        Assert.Equal(0, r.ExitCode);
        var configure = r.StderrLines.Single(l => l.StartsWith("configure arguments:", StringComparison.Ordinal));
        Assert.Contains("--without-http_perl_module", configure);
        Assert.Contains("--without-stream_core_module", configure);
        Assert.DoesNotContain("--without-http_proxy_module", configure);
        Assert.DoesNotContain("--without-http_rewrite_module", configure);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-?")]
    public void Help_PrintsUsageWithEveryOption(string flag)
    {
        var r = CliRunner.Run(flag);
        Assert.Equal(0, r.ExitCode);
        foreach (var option in new[] { "-t ", "-T ", "-q ", "-s signal", "-p prefix", "-e filename", "-c filename", "-g directives" })
        {
            Assert.Contains(option, r.Stderr);
        }
    }

    [Theory]
    [InlineData(new[] { "-x" }, "nginxlite: invalid option: \"x\"")]
    [InlineData(new[] { "-tx" }, "nginxlite: invalid option: \"x\"")]
    [InlineData(new[] { "foo" }, "nginxlite: invalid option: \"foo\"")]
    [InlineData(new[] { "-c" }, "nginxlite: option \"-c\" requires file name")]
    [InlineData(new[] { "-p" }, "nginxlite: option \"-p\" requires directory name")]
    [InlineData(new[] { "-g" }, "nginxlite: option \"-g\" requires parameter")]
    [InlineData(new[] { "-s", "restart" }, "nginxlite: invalid option: \"-s restart\"")]
    public void Options_Invalid_NginxMessageAndExit1(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(message + "\n", r.Stderr);
    }

    [Fact]
    public void Test_ShippedDefaultConfig_IsSuccessful()
    {
        using var prefix = new TempDir();
        CopyConf(prefix.Path);
        var conf = Path.Combine(prefix.Path, "conf", "nginxlite.conf");

        var r = CliRunner.Run("-t", "-p", prefix.Path);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            $"nginxlite: the configuration file {conf} syntax is ok\nnginxlite: configuration file {conf} test is successful\n",
            r.Stderr);
    }

    [Fact]
    public void Test_RelativeConfigPath_ResolvesAgainstPrefix()
    {
        using var prefix = new TempDir();
        prefix.File("sub/site.conf", Minimal);

        var r = CliRunner.Run("-t", "-p", prefix.Path, "-c", "sub/site.conf");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"configuration file {Path.Combine(prefix.Path, "sub/site.conf")} test is successful", r.Stderr);
    }

    [Fact]
    public void Test_GroupedFlagsAndGluedValue_Parsed()
    {
        using var prefix = new TempDir();
        var conf = prefix.File("a.conf", Minimal);

        var r = CliRunner.Run("-tq", "-p" + prefix.Path, "-c" + conf);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void TestAndDump_WithInclude_DumpsEveryFileOnceWithHeaders()
    {
        using var prefix = new TempDir();
        var inc = prefix.File("conf.d/a.conf", "server { listen 127.0.0.1:18082; }\n");
        var main = prefix.File("nginx.conf", "events {}\nhttp {\n    include conf.d/*.conf;\n    include conf.d/a.conf;\n}\n");

        var r = CliRunner.Run("-T", "-p", prefix.Path, "-c", main);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            $"# configuration file {main}:\n{File.ReadAllText(main)}\n# configuration file {inc}:\n{File.ReadAllText(inc)}\n",
            r.Stdout);
    }

    [Fact]
    public void TestAndDump_Failing_DumpsNothing()
    {
        using var prefix = new TempDir();
        var main = prefix.File("nginx.conf", "events {}\nhttp { foo; }\n");

        var r = CliRunner.Run("-T", "-p", prefix.Path, "-c", main);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains($"nginxlite: [emerg] unknown directive \"foo\" in {main}:2", r.Stderr);
    }

    [Fact]
    public void GlobalDirectives_Unknown_ReportedInCommandLine()
    {
        using var prefix = new TempDir();
        var conf = prefix.File("a.conf", Minimal);

        var r = CliRunner.Run("-t", "-p", prefix.Path, "-c", conf, "-g", "foo bar;");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("nginxlite: [emerg] unknown directive \"foo\" in command line", r.StderrLines[0]);
        Assert.Equal($"nginxlite: configuration file {conf} test failed", r.StderrLines[^1]);
    }

    [Fact]
    public void GlobalDirectives_Valid_Accepted()
    {
        using var prefix = new TempDir();
        var conf = prefix.File("a.conf", Minimal);

        var r = CliRunner.Run("-t", "-p", prefix.Path, "-c", conf, "-g", "daemon off; worker_processes 2;");

        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void ErrorLogOption_File_GetsTimestampedNginxFormLine()
    {
        using var prefix = new TempDir();
        var conf = prefix.File("a.conf", "events {}\nhttp { foo; }\n");
        var log = Path.Combine(prefix.Path, "err.log");

        var r = CliRunner.Run("-t", "-p", prefix.Path, "-c", conf, "-e", log);

        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(File.ReadAllLines(log));
        Assert.Matches(@"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[emerg\] \d+#0: unknown directive ""foo"" in .*a\.conf:2$", line);
    }

    [Fact]
    public void Signal_NoPidFile_NginxOpenErrorAndExit1()
    {
        using var prefix = new TempDir();
        var conf = prefix.File("a.conf", "pid run/x.pid;\n" + Minimal);

        var r = CliRunner.Run("-s", "reload", "-p", prefix.Path, "-c", conf);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"nginxlite: [error] open() \"{prefix.Path}/run/x.pid\" failed (2: No such file or directory)\n", r.Stderr);
    }

    [Theory]
    [InlineData("stop", 15)]
    [InlineData("quit", 3)]
    [InlineData("reload", 1)]
    [InlineData("reopen", 10)]
    public void Signal_PidFileOfLiveProcess_SendsNginxSignal(string signal, int number)
    {
        using var prefix = new TempDir();
        // A real process that reports which signal it got: python3 handles it and exits with 100+N. It says when its
        // handler is set (a signal sent earlier, under load, was lost). Not bash: bash cannot trap a signal it inherited
        // ignored (a background job's QUIT), and then never exits.
        var ready = Path.Combine(prefix.Path, "trap-set");
        var script = $"import os, signal, time\nsignal.signal({number}, lambda *_: os._exit(100 + {number}))\nopen({PyQuote(ready)}, 'w').close()\nwhile True:\n    time.sleep(0.05)\n";
        using var target = Process.Start(new ProcessStartInfo("python3", ["-c", script]))!;
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(ready) && !target.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(10);
            }

            Assert.True(File.Exists(ready), "the target never set its trap");
            File.WriteAllText(Path.Combine(prefix.Path, "app.pid"), target.Id + "\n");
            var conf = prefix.File("a.conf", "pid app.pid;\n" + Minimal);

            var r = CliRunner.Run("-s", signal, "-p", prefix.Path, "-c", conf);

            Assert.Equal(0, r.ExitCode);
            Assert.True(target.WaitForExit(10_000), "target did not exit");
            Assert.Equal(100 + number, target.ExitCode);
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill();
            }
        }
    }

    private static string PyQuote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static void CopyConf(string prefix)
    {
        var target = Path.Combine(prefix, "conf");
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(RepoPaths.Conf))
        {
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
    }
}
