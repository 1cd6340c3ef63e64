using NginxLite.Config.Directives;
using NginxLite.Config.Tests.TestSupport;

namespace NginxLite.Config.Tests.Directives;

public class DirectiveDocsTests
{
    [Fact]
    public void DirectivesMd_IsUpToDateWithTheTables()
    {
        var path = Path.Combine(Corpus.RepoRoot, "docs/directives.md");
        var expected = DirectiveDocs.Render();
        if (Environment.GetEnvironmentVariable("NGINXLITE_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path) && File.ReadAllText(path) == expected,
            "docs/directives.md is stale: run NGINXLITE_UPDATE_DOCS=1 dotnet test tests/NginxLite.Config.Tests");
    }
}
