using NginxLite.Ini.Options;

namespace NginxLite.Ini.Tests.Options;

public class UwsgiOptionTableTests
{
    private static IEnumerable<string[]> Tsv(string file) =>
        File.ReadLines(Path.Combine(RepoPaths.Corpus, "uwsgi", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("option\t", StringComparison.Ordinal))
            .Select(l => l.Split('\t'));

    [Fact]
    public void Table_HasEveryOptionOfUwsgi2021()
    {
        var missing = Tsv("UWSGI_OPTIONS_2.0.21.tsv").Select(f => f[0]).Where(o => !UwsgiOptionTable.TryGet(o, out _)).ToList();
        Assert.Empty(missing);
        Assert.True(UwsgiOptionTable.All.Count >= 1093);
    }

    [Fact]
    public void Table_EveryIgnoredOrUnsupportedRow_SaysWhy_AndEveryMappedRowSaysWhatItBecomes()
    {
        Assert.All(UwsgiOptionTable.All, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Reason), o.Name);
            Assert.Equal(o.Outcome == OptionOutcome.Mapped, o.Target.Length > 0);
        });
    }

    [Fact]
    public void Table_Top60OfOptionCounts_AreMappedOrIgnored()
    {
        var top = Tsv("OPTION_COUNTS.tsv").Take(60).ToList();
        var bad = top
            .Where(f => !f[7].StartsWith("NOT-AN-OPTION", StringComparison.Ordinal))
            .Where(f => !UwsgiOptionTable.TryGet(f[0], out var o) || o.Outcome == OptionOutcome.Unsupported)
            .Select(f => f[0])
            .ToList();
        Assert.Empty(bad);
    }

    [Theory]
    [InlineData("workers", "processes", "app:processes")]
    [InlineData("venv", "virtualenv", "app:virtualenv")]
    [InlineData("home", "virtualenv", "app:virtualenv")]
    [InlineData("pyhome", "virtualenv", "app:virtualenv")]
    [InlineData("chmod", "chmod-socket", "app:chmod_socket")]
    [InlineData("python-path", "pythonpath", "app:pythonpath")]
    public void Table_Aliases_ShareTheirCanonicalRow(string alias, string canonical, string target)
    {
        Assert.True(UwsgiOptionTable.TryGet(alias, out var o));
        Assert.Equal((canonical, target, OptionOutcome.Mapped), (o.Canonical, o.Target, o.Outcome));
    }

    [Theory]
    [InlineData("master", OptionOutcome.Ignored)]
    [InlineData("memory-report", OptionOutcome.Ignored)]
    [InlineData("single-interpreter", OptionOutcome.Ignored)]
    [InlineData("route", OptionOutcome.Unsupported)]
    [InlineData("emperor", OptionOutcome.Unsupported)]
    [InlineData("harakiri", OptionOutcome.Mapped)]
    public void Table_KnownOutcomes(string option, OptionOutcome outcome)
    {
        Assert.True(UwsgiOptionTable.TryGet(option, out var o));
        Assert.Equal(outcome, o.Outcome);
    }

    [Theory]
    [InlineData("process", "processes")]
    [InlineData("max-request", "max-requests")]
    [InlineData("max_requests", "max-requests")]
    [InlineData("chmod_socket", "chmod-socket")]
    [InlineData("moduel", "module")]
    [InlineData("harakri", "harakiri")]
    [InlineData("virtualnev", "virtualenv")]
    public void Closest_CommonTypos_SuggestTheOption(string typo, string expected) =>
        Assert.Equal(expected, UwsgiOptionTable.Closest(typo));

    [Fact]
    public void Closest_SomethingFarFromEveryOption_IsNull() =>
        Assert.Null(UwsgiOptionTable.Closest("project_root_directory_for_everything"));

    [Fact]
    public void Table_IsTheGeneratorsOutput_DocsListEveryRow()
    {
        var docs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs/uwsgi-options.md"));
        var missing = UwsgiOptionTable.All.Where(o => !docs.Contains($"| `{o.Name}` |", StringComparison.Ordinal)).Select(o => o.Name).ToList();
        Assert.Empty(missing);
    }
}
