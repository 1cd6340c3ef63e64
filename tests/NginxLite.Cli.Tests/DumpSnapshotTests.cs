using NginxLite.TestSupport;
using NginxLite.Cli.Tests.Support;
using Snapshooter.Xunit;
using Xunit;

namespace NginxLite.Cli.Tests;

/// <summary><c>-T</c> output of the shipped default configuration, as a committed snapshot.</summary>
public sealed class DumpSnapshotTests
{
    [Fact]
    public void TestAndDump_ShippedDefaultConfig_MatchesSnapshot()
    {
        using var prefix = new TempDir();
        var conf = Path.Combine(prefix.Path, "conf");
        Directory.CreateDirectory(conf);
        foreach (var f in Directory.GetFiles(RepoPaths.Conf))
        {
            File.Copy(f, Path.Combine(conf, Path.GetFileName(f)));
        }

        var r = CliRunner.Run("-T", "-p", prefix.Path);

        Assert.Equal(0, r.ExitCode);
        Snapshot.Match(r.Stdout.Replace(prefix.Path, "<prefix>", StringComparison.Ordinal));
    }
}

/// <summary><c>-T --json</c>: crossplane's payload on stdout, also for a config that fails the test.</summary>
public sealed class JsonDumpTests
{
    [Fact]
    public void TestAndDumpJson_ShippedDefaultConfig_ListsEveryFileRead()
    {
        using var prefix = new TempDir();
        var conf = Path.Combine(prefix.Path, "conf");
        Directory.CreateDirectory(conf);
        foreach (var f in Directory.GetFiles(RepoPaths.Conf))
        {
            File.Copy(f, Path.Combine(conf, Path.GetFileName(f)));
        }

        var r = CliRunner.Run("-T", "--json", "-p", prefix.Path);

        Assert.Equal(0, r.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        var files = json.RootElement.GetProperty("config").EnumerateArray().Select(c => Path.GetFileName(c.GetProperty("file").GetString())).ToList();
        Assert.Equal("nginxlite.conf", files[0]);
        Assert.Contains("mime.types", files);
        Assert.DoesNotContain("# configuration file", r.Stdout);
    }

    [Fact]
    public void TestAndDumpJson_FailingConfig_PrintsThePayloadAndExits1()
    {
        using var prefix = new TempDir();
        var file = Path.Combine(prefix.Path, "bad.conf");
        File.WriteAllText(file, "events { }\nhttp {\n    bogus on;\n}\n");

        var r = CliRunner.Run("-T", "--json", "-p", prefix.Path, "-c", file);

        Assert.Equal(1, r.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Contains("unknown directive \"bogus\"", r.Stderr);
    }
}
