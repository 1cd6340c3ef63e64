using NginxLite.TestSupport;
using NginxLite.Cli.Tests.Support;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Cli.Tests.Differential;

/// <summary>
/// Live differential property test: random configs (valid and broken) built from real directive uses, checked by
/// Debian's <c>nginx -t</c> and by NginxLite; both must give the same verdict and the same first message.
/// </summary>
public sealed class DifferentialTests
{
    private const int Port = 28081;
    private static readonly int SeedsPerMutation = int.TryParse(Environment.GetEnvironmentVariable("NGINXLITE_DIFF_SEEDS"), out var n) ? n : 40;

    [Fact]
    public void Samples_Harvested_EveryContextHasMaterial()
    {
        foreach (var context in new[] { "main", "events", "http", "server", "location" })
        {
            Assert.NotEmpty(DirectiveSamples.ByContext[context]);
        }

        Assert.True(DirectiveSamples.ByContext["location"].Count > 50);
        Assert.Contains(DirectiveSamples.Blocks["server"], b => b.StartsWith("location ", StringComparison.Ordinal));
        Assert.Contains(DirectiveSamples.Blocks["server"], b => b.StartsWith("if ", StringComparison.Ordinal));
        Assert.Contains(DirectiveSamples.Blocks["http"], b => b.StartsWith("map ", StringComparison.Ordinal));
        Assert.Contains(DirectiveSamples.Blocks["http"], b => b.StartsWith("upstream ", StringComparison.Ordinal));

        // And the generator really puts them into configs.
        var texts = Enumerable.Range(1, 40).Select(seed => ConfigGenerator.Build("none", seed, Port).Text).ToList();
        Assert.Contains(texts, t => t.Contains("\n    upstream ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("\n        location ", StringComparison.Ordinal) && t.Split("location ").Length > 3);
        Assert.Contains(texts, t => t.Contains("if (", StringComparison.Ordinal));
    }

    [Fact]
    public void NginxT_ShippedDefaultConfig_BothAccept()
    {
        using var prefix = new TempDir();
        Directory.CreateDirectory(Path.Combine(prefix.Path, "conf"));
        Directory.CreateDirectory(Path.Combine(prefix.Path, "logs"));
        foreach (var f in Directory.GetFiles(RepoPaths.Conf))
        {
            File.Copy(f, Path.Combine(prefix.Path, "conf", Path.GetFileName(f)));
        }

        var file = Path.Combine(prefix.Path, "conf", "nginxlite.conf");
        var (rc, lines) = NginxReference.Test(file, prefix.Path);
        var ours = ConfigTest.Run(file, new LoadOptions(), new BindOptions { Prefix = prefix.Path + "/" });

        Assert.True(rc == 0, string.Join('\n', lines));
        Assert.Empty(ours.Diagnostics);
    }

    [Theory]
    [MemberData(nameof(MutationNames))]
    public void NginxT_GeneratedConfigsOfOneMutation_SameVerdictAndFirstMessage(string mutation)
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "nginx.conf");
        var outcomes = new List<string>();

        // Fixed seeds: CI reruns the same configs, and a failure names the one to reproduce.
        for (var seed = 1; seed <= SeedsPerMutation; seed++)
        {
            {
                var config = ConfigGenerator.Build(mutation, seed, Port);
                File.WriteAllText(file, config.Text);
                var (rc, lines) = NginxReference.Test(file, dir.Path);
                var nginxFirst = NginxReference.FirstError(lines);

                var ours = ConfigTest.Run(file, new LoadOptions(), new BindOptions { Prefix = dir.Path + "/" });
                var oursFirst = ours.FirstError?.ToString() ?? "ok";
                outcomes.Add(nginxFirst);
                Assert.True(
                    (rc == 0) == ours.Ok && nginxFirst == oursFirst,
                    $"seed {seed}\nnginx (rc={rc}): {nginxFirst}\nnginxlite: {oursFirst}\n{config}");
            }
        }

        // The generator must really exercise the mutation: broken configs fail, untouched ones mostly pass.
        if (mutation is not ("none" or "duplicate"))
        {
            Assert.Contains(outcomes, o => o != "ok");
        }
    }

    public static TheoryData<string> MutationNames()
    {
        var data = new TheoryData<string>();
        foreach (var m in ConfigGenerator.Mutations)
        {
            data.Add(m);
        }

        return data;
    }
}
