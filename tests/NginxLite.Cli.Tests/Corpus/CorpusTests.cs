using NginxLite.TestSupport;
using NginxLite.Cli.Tests.Support;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Cli.Tests.Corpus;

/// <summary>
/// Every file of ../shared/corpus/nginx/MANIFEST.tsv, stubbed as nginx was: where nginx said ok, NginxLite parses
/// and binds it with no error; where nginx failed, NginxLite fails with the same first message, file and line.
/// Differences are only those in docs/intentional-differences.tsv (<c>corpus:PATH</c>), whose NginxLite side is asserted.
/// </summary>
public sealed class CorpusTests(CorpusWorkspace workspace) : IClassFixture<CorpusWorkspace>
{
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        foreach (var e in CorpusManifest.All)
        {
            data.Add(e.Path);
        }

        return data;
    }

    [Fact]
    public void Manifest_Read_HasEveryRow()
    {
        Assert.True(CorpusManifest.All.Count > 400);
        Assert.Contains(CorpusManifest.All, e => e.StubVerdict == "ok");
        Assert.Contains(CorpusManifest.All, e => e.StubVerdict == "fail");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Test_CorpusFile_SameVerdictAndFirstMessageAsNginx(string path)
    {
        var entry = CorpusManifest.All.First(e => e.Path == path);
        var main = workspace.Prepare(entry);

        var result = ConfigTest.Run(
            main,
            new LoadOptions { ConfigDirectory = Path.GetDirectoryName(main), VirtualFiles = workspace.VirtualFiles },
            new BindOptions { CheckEnvironment = false, Prefix = workspace.Root + "/", Hosts = workspace.Hosts });

        var expected = IntentionalDifferences.NginxLiteSays("corpus:" + path)
            ?? (entry.StubVerdict == "ok" ? "ok" : StripProgram(entry.StubError));
        var actual = result.FirstError?.ToString() ?? "ok";
        // Whole strings in the message: xunit's string diff cuts long paths.
        expected = workspace.Expand(expected);
        Assert.True(expected == actual, $"{path}\nnginx:     {expected}\nnginxlite: {actual}");
    }

    private static string StripProgram(string message) =>
        message.StartsWith("nginx: ", StringComparison.Ordinal) ? message["nginx: ".Length..] : message;
}
