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
