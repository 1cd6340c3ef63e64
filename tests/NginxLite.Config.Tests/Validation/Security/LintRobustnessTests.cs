using CsCheck;
using NginxLite.Config.Tests.TestSupport;
using NginxLite.Config.Validation.Security;
using NginxLite.Config.Validation.Security.Checks;
using NginxLite.Config.Validation.Security.Values;

namespace NginxLite.Config.Tests.Validation.Security;

/// <summary>
/// The lint runs inside every <c>nginxlite -t</c>, so it must never throw: on every real config of the corpus, and
/// on generated regexes and scripts (its small PCRE reader sees whatever users write).
/// </summary>
public sealed class LintRobustnessTests
{
    private static readonly Gen<string> RegexText =
        Gen.String[Gen.Char[@"ab./\()[]^$|*+?{},-:<>'=!PdDwWsSxrn0123456789"], 0, 24];

    [Fact]
    public void Lint_EveryCorpusConfig_NoException()
    {
        var files = Directory.GetFiles(Corpus.Path("nginx"), "*.conf", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Corpus.Path("nginx-t-cases"), "*.conf"))
            .ToList();

        var total = 0;
        foreach (var file in files)
        {
            total += Lint.File(file).Count;
        }

        Assert.True(files.Count > 300, $"{files.Count} files");
        Assert.True(total > 0, "no finding in the whole corpus");
    }

    [Fact]
    public void RegexModel_AnyPattern_NoException()
    {
        RegexText.Sample(p =>
        {
            var model = RegexModel.Parse(p);
            _ = model.Root.CanContain('\n') | model.Root.MustContain('/');
            foreach (var group in model.Numbered.Values.Concat(model.Named.Values))
            {
                _ = group.CanContain('.');
            }
        });
    }

    [Fact]
    public void OriginPattern_AnyPattern_NoException()
    {
        RegexText.Sample(p =>
        {
            _ = OriginPattern.Weakness(p, withScheme: true, SecurityLintOptions.Default);
            _ = OriginPattern.Weakness(p, withScheme: false, new SecurityLintOptions { OriginDomains = ["a.b"], OriginHttpsOnly = true });
        });
    }

    [Fact]
    public void ScriptPart_AnyValue_RejoinsToInput()
    {
        Gen.String[Gen.Char["ab$1{}_/:."], 0, 20].Sample(v =>
        {
            var parts = ScriptPart.Split(v);
            // Variables lose their "$"/"${}" spelling, literals are kept: the literal text never grows.
            return parts.Where(p => p.Literal is not null).Sum(p => p.Literal!.Length) <= v.Length;
        });
    }

    [Theory]
    [InlineData(@"^/x/(.*)$", 1, '\r', true)]
    [InlineData(@"^/x/(.*)$", 1, '\n', false)]
    [InlineData(@"^/x/([^/]+)/", 1, '\n', true)]
    [InlineData(@"/proxy/(a|b)/(\W*)$", 1, '\n', false)]
    [InlineData(@"/proxy/(a|b)/(\W*)$", 2, '\n', true)]
    [InlineData(@"^/(?<p>[a-z]+)/(\d+)", 2, '.', false)]
    [InlineData(@"^/([\x00-\x7f]+)", 1, '\n', true)]
    public void RegexModel_Group_CanContainAsPcre(string pattern, int group, char c, bool expected)
    {
        var model = RegexModel.Parse(pattern);

        Assert.Equal(expected, model.Numbered[group].CanContain(c));
    }
}
