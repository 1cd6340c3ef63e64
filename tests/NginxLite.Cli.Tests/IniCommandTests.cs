using NginxLite.Cli.Tests.Support;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Cli.Tests;

/// <summary><c>nginxlite -t --ini</c> and <c>nginxlite migrate</c>, in process.</summary>
public class IniCommandTests
{
    private static string SeedIni => Path.Combine(RepoPaths.Seed, "uwsgi.ini");

    [Fact]
    public void TestIni_Seed_IsSuccessful()
    {
        var r = CliRunner.Run("-t", "--ini", SeedIni);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            [$"nginxlite: the configuration file {SeedIni} syntax is ok", $"nginxlite: configuration file {SeedIni} test is successful"],
            r.StderrLines);
    }

    [Fact]
    public void TestIni_Quiet_PrintsNothing()
    {
        var r = CliRunner.Run("-tq", $"--ini={SeedIni}");
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
    }

    [Fact]
    public void TestIni_UnknownKey_WarnsWithFileAndLine_StrictFails()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nmax-request = 100\n");

        var lax = CliRunner.Run("-t", "--ini", ini);
        Assert.Equal(0, lax.ExitCode);
        Assert.Equal($"nginxlite: [warn] unknown uWSGI option \"max-request\" (did you mean \"max-requests\"?) in {ini}:3", lax.StderrLines[0]);

        var strict = CliRunner.Run("-t", "--strict", "--ini", ini);
        Assert.Equal(1, strict.ExitCode);
        Assert.Equal(
            [$"nginxlite: [emerg] unknown uWSGI option \"max-request\" (did you mean \"max-requests\"?) in {ini}:3", $"nginxlite: configuration file {ini} test failed"],
            strict.StderrLines);
    }

    [Fact]
    public void TestIni_UnsupportedOption_IsAnEmerg()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nspooler = /var/spool\n");
        var r = CliRunner.Run("-t", "--ini", ini);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"nginxlite: [emerg] uWSGI option \"spooler\" is not supported by NginxLite (no spooler", r.StderrLines[0]);
        Assert.EndsWith($"in {ini}:3", r.StderrLines[0]);
    }

    [Fact]
    public void TestIni_MissingFile_Fails()
    {
        var r = CliRunner.Run("-t", "--ini", "/nonexistent/app.ini");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("nginxlite: [emerg] open() \"/nonexistent/app.ini\" failed (2: No such file or directory)", r.StderrLines[0]);
    }

    [Fact]
    public void TestIni_FileColonSection_ChecksThatSection()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\n[dev]\nmodule = a:b\nprocesses = x\n");
        Assert.Equal(0, CliRunner.Run("-t", "--ini", ini).ExitCode);
        var dev = CliRunner.Run("-t", "--ini", ini + ":dev");
        Assert.Equal(1, dev.ExitCode);
        Assert.Equal($"nginxlite: [emerg] invalid value \"x\" of \"processes\": a number is expected in {ini}:5", dev.StderrLines[0]);
        Assert.Equal($"nginxlite: configuration file {ini} test failed", dev.StderrLines[^1]);
    }

    [Fact]
    public void IniOption_WithoutValue_IsAnError()
    {
        var r = CliRunner.Run("-t", "--ini");
        Assert.Equal((1, "nginxlite: option \"--ini\" requires file name"), (r.ExitCode, r.StderrLines[0]));
    }

    [Fact]
    public void Migrate_Seed_PrintsAConfigThatPassesTest()
    {
        using var dir = new TempDir();
        var output = Path.Combine(dir.Path, "out.conf");
        var r = CliRunner.Run("migrate", SeedIni, "-o", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains("uwsgi.ini:2  module = myapp:app", r.Stderr);
        Assert.Contains("7 keys: 4 mapped, 3 ignored, 0 unsupported, 0 unknown", r.Stderr);
        Assert.Contains("app uwsgi {", File.ReadAllText(output));

        var t = CliRunner.Run("-t", "-c", output);
        Assert.Equal(0, t.ExitCode);
    }

    [Fact]
    public void Migrate_ToStdout_WithJsonReportFile()
    {
        using var dir = new TempDir();
        var report = Path.Combine(dir.Path, "report.json");
        var r = CliRunner.Run("migrate", SeedIni, "--report", report, "--report-format", "json");
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        Assert.Contains("module myapp:app;", r.Stdout);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(7, json.RootElement.GetArrayLength());
    }

    [Fact]
    public void Migrate_Unsupported_Exits2AndPrintsTheConfigWithComments()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nroute = ^/x break:403\n");
        var r = CliRunner.Run("migrate", ini);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("# unsupported: route = ^/x break:403  (app.ini:3)", r.Stdout);
    }

    [Fact]
    public void Migrate_WithNginxSite_TurnsUwsgiPassIntoAppPass()
    {
        using var dir = new TempDir();
        var ini = dir.File("shop.ini", "[uwsgi]\nmodule = shop.wsgi\nsocket = /run/shop.sock\nstatic-map = /static=/srv/shop/static\n");
        var site = dir.File("site.conf", "server {\n    listen 80;\n    location / {\n        include uwsgi_params;\n        uwsgi_pass unix:/run/shop.sock;\n    }\n}\n");
        var r = CliRunner.Run("migrate", ini, "--nginx", site);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("app_pass shop;", r.Stdout);
        Assert.DoesNotContain("uwsgi_pass", r.Stdout);
        Assert.DoesNotContain("include uwsgi_params", r.Stdout);
        Assert.Contains("location /static {", r.Stdout);
    }

    [Theory]
    [InlineData(new[] { "migrate" }, "usage: nginxlite migrate")]
    [InlineData(new[] { "migrate", "a.ini", "b.ini" }, "nginxlite: invalid option: \"b.ini\"")]
    [InlineData(new[] { "migrate", "a.ini", "--report-format", "xml" }, "nginxlite: invalid --report-format \"xml\": text or json")]
    [InlineData(new[] { "migrate", "a.ini", "--nginx" }, "nginxlite: option \"--nginx\" requires a value")]
    public void Migrate_BadArguments_Exit1(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith(message, r.StderrLines[0]);
    }

    [Fact]
    public void Migrate_MissingIni_Exits1()
    {
        var r = CliRunner.Run("migrate", "/nonexistent/app.ini");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("nginxlite: [emerg] open() \"/nonexistent/app.ini\" failed (2: No such file or directory)", r.StderrLines[0]);
    }

    [Fact]
    public void Help_MentionsIniAndMigrate()
    {
        var r = CliRunner.Run("-h");
        Assert.Contains("--ini file", r.Stderr);
        Assert.Contains("migrate app.ini", r.Stderr);
    }

    [Fact]
    public void UnknownLongOption_IsAnError()
    {
        var r = CliRunner.Run("--frobnicate");
        Assert.Equal((1, "nginxlite: invalid option: \"--frobnicate\""), (r.ExitCode, r.StderrLines[0]));
    }
}
