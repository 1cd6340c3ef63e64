using NginxLite.TestSupport;
using NginxLite.Cli.Tests.Support;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Cli.Tests;

/// <summary>
/// The nginx snippets of ../shared/examples/seed, included unchanged where users put them, checked by nginx and by
/// NginxLite. (Serving them is the later issues' part; here: they are valid configuration for both.)
/// </summary>
public sealed class SeedExamplesTests
{
    [Theory]
    [InlineData("fastcgi-php.conf")]
    [InlineData("proxy-unix.conf")]
    public void Test_SeedLocationSnippetInServer_AcceptedLikeNginx(string snippet)
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(RepoPaths.Conf, "fastcgi_params"), Path.Combine(dir.Path, "fastcgi_params"));
        var main = dir.File("nginx.conf", $$"""
            events {}
            http {
                server {
                    listen 127.0.0.1:28085;
                    root {{dir.Path}};
                    include {{Path.Combine(RepoPaths.Seed, snippet)}};
                }
            }
            """);

        var (rc, lines) = NginxReference.Test(main, dir.Path);
        var ours = ConfigTest.Run(main, new LoadOptions(), new BindOptions { Prefix = dir.Path + "/" });

        Assert.True(rc == 0, string.Join('\n', lines));
        Assert.Empty(ours.Diagnostics);
    }

    [Fact]
    public void Test_SeedWorkerUser_GroupLineIsNginxLiteExtension()
    {
        using var dir = new TempDir();
        var main = dir.File("nginx.conf", $"include {Path.Combine(RepoPaths.Seed, "worker-user.conf")};\nevents {{}}\n");

        var (rc, lines) = NginxReference.Test(main, dir.Path);
        var ours = ConfigTest.Run(main, new LoadOptions(), new BindOptions { Prefix = dir.Path + "/" });

        // nginx has no "group" directive; NginxLite reads it as the group of "user" (docs/intentional-differences.tsv).
        Assert.Equal(1, rc);
        Assert.Equal($"[emerg] unknown directive \"group\" in {Path.Combine(RepoPaths.Seed, "worker-user.conf")}:3", NginxReference.FirstError(lines));
        Assert.NotNull(IntentionalDifferences.NginxLiteSays("directive:group"));
        Assert.True(ours.Ok, string.Join('\n', ours.Diagnostics));
    }

    [Fact]
    public void Test_GroupWithoutUser_Rejected()
    {
        using var dir = new TempDir();
        var main = dir.File("nginx.conf", "group nogroup;\nevents {}\n");

        var ours = ConfigTest.Run(main, new LoadOptions(), new BindOptions { Prefix = dir.Path + "/" });

        Assert.False(ours.Ok);
    }
}
