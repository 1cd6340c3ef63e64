using NginxLite.Ini.Expansion;

namespace NginxLite.Ini.Tests.Expansion;

public class ValueExpanderTests
{
    private static readonly Dictionary<string, string> Keys = new()
    {
        ["foo"] = "17", ["bar"] = "30", ["base"] = "/srv/app", ["name"] = "shop",
    };

    private static ValueExpander Expander(List<string>? messages = null) =>
        new(name => name == "HOME" ? "/home/alice" : null, name => Keys.GetValueOrDefault(name))
        {
            Report = (m, _) => messages?.Add(m),
        };

    [Theory]
    [InlineData("%(base)/static", "/srv/app/static")]
    [InlineData("$(HOME)/x", "/home/alice/x")]
    [InlineData("%(foo + bar + 3)", "50")]
    [InlineData("%(foo + bar + 3 * 2)", "100")]
    [InlineData("%(foo ++)", "18")]
    [InlineData("%(foo bar ++)", "1731")]
    [InlineData("%(foo bar)", "1730")]
    [InlineData("%(bar / 0)", "0")]
    [InlineData("%(bar - foo)", "13")]
    [InlineData("%(name).wsgi:app", "shop.wsgi:app")]
    [InlineData("no expansion", "no expansion")]
    [InlineData("%(unclosed", "%(unclosed")]
    public void Expand_AsUwsgi(string value, string expected) => Assert.Equal(expected, Expander().Expand(value));

    [Fact]
    public void Expand_UnknownPlaceholder_KeptAndReported()
    {
        var messages = new List<string>();
        Assert.Equal("%(nope)/x", Expander(messages).Expand("%(nope)/x"));
        Assert.Contains(messages, m => m.Contains("unknown placeholder \"%(nope)\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Expand_MissingEnvironmentVariable_IsKeptAsWrittenWithAWarning()
    {
        var messages = new List<string>();
        Assert.Equal("a/$(NOPE)/b", Expander(messages).Expand("a/$(NOPE)/b"));
        Assert.Single(messages);
    }

    [Fact]
    public void Expand_FileContents_TrailingNewlineRemoved()
    {
        using var dir = new TempDir();
        dir.File("name.txt", "node7\n");
        var expander = new ValueExpander(_ => null, _ => null) { BaseDirectory = dir.Path };
        Assert.Equal("node7.sock", expander.Expand("@(name.txt).sock"));
    }

    [Fact]
    public void Expand_FileWithScheme_IsAnError()
    {
        var errors = new List<string>();
        var expander = new ValueExpander(_ => null, _ => null) { Report = (m, error) => { if (error) { errors.Add(m); } } };
        expander.Expand("@(exec://whoami)");
        Assert.Contains(errors, m => m.Contains("\"exec://\" is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void Expand_InsertedTextIsNotExpandedAgain()
    {
        var expander = new ValueExpander(_ => "%(foo)", _ => "$(HOME)");
        Assert.Equal("%(foo) $(HOME)", expander.Expand("$(X) %(y)"));
    }
}
