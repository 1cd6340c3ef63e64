using NginxLite.Cli.Tests.Support;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Cli.Tests;

/// <summary><c>nginxlite -t</c> on <c>app</c> blocks (issue 6): unknown app_pass names, and an app's <c>ini</c> read at
/// -t time (its unsupported keys are errors as with <c>-t --ini</c>).</summary>
public class AppConfigTestTests
{
    private static string Config(string app, string pass = "a") =>
        $"events {{}}\nhttp {{\n    {app}\n    server {{\n        listen 127.0.0.1:8080;\n        location / {{ app_pass {pass}; }}\n    }}\n}}\n";

    [Fact]
    public void Test_AppPassUnknownName_EmergWithFileAndLine_Exit1()
    {
        using var dir = new TempDir();
        var conf = dir.File("nginx.conf", Config("app a { module m:app; }", pass: "x"));

        var r = CliRunner.Run("-t", "-c", conf);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"nginxlite: [emerg] unknown app \"x\" in {conf}:6", r.StderrLines[0]);
    }

    [Fact]
    public void Test_AppIniWithUnsupportedKey_Emerg_Exit1()
    {
        using var dir = new TempDir();
        var ini = dir.File("uwsgi.ini", "[uwsgi]\nmodule = a:b\nspooler = /var/spool\n");
        var conf = dir.File("nginx.conf", Config($"app a {{ ini {ini}; }}"));

        var r = CliRunner.Run("-t", "-c", conf);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains(r.StderrLines, l => l.StartsWith("nginxlite: [emerg] uWSGI option \"spooler\" is not supported by NginxLite", StringComparison.Ordinal));
    }

    [Fact]
    public void Test_AppIniSeed_Successful()
    {
        using var dir = new TempDir();
        var ini = dir.File("uwsgi.ini", File.ReadAllText(Path.Combine(RepoPaths.Seed, "uwsgi.ini")));
        var conf = dir.File("nginx.conf", Config($"app a {{ ini {ini}; }}"));

        var r = CliRunner.Run("-t", "-c", conf);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"nginxlite: configuration file {conf} test is successful", r.StderrLines[^1]);
    }
}
