using Snapshooter;
using Snapshooter.Xunit;
using Xunit;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using static NginxLite.Config.Tests.Syntax.SyntaxTestSupport;

namespace NginxLite.Config.Tests.Syntax;

public class AstSnapshotTests
{
    private sealed record AstNode(string Name, string[] Arguments, int Line, int Ordinal, int EndOrdinal, int EndLine, AstNode[]? Block);

    private static AstNode ToAst(ConfigDirective d) =>
        new(d.Name, [.. d.Arguments.Select(a => a.Raw)], d.Position.Line, d.Ordinal, d.EndOrdinal, d.EndLine, d.Block?.Select(ToAst).ToArray());

    [Theory]
    [InlineData("nginx.conf")]
    [InlineData("sites-available/default")]
    public void DebianConfig_Parsed_MatchesSnapshot(string file)
    {
        // Read from the corpus, parsed under a fixed name with includes left in place, so the snapshot is stable.
        var text = File.ReadAllText(Path.Combine(SharedDirectory(), "corpus", "nginx", "debian-nginx-common", file));
        var document = ConfigLoader.LoadText(text, "/etc/nginx/" + file, new LoadOptions { ExpandIncludes = false }, new DiagnosticBag());
        Assert.Null(document.SyntaxError);
        Snapshot.Match(document.Directives.Select(ToAst).ToArray(), SnapshotNameExtension.Create(file.Replace('/', '_')));
    }
}
