using CsCheck;
using NginxLite.Ini.Expansion;
using NginxLite.Ini.Syntax;

namespace NginxLite.Ini.Tests.Expansion;

/// <summary>
/// Expansion is idempotent where uWSGI's is: once a value holds no <c>%(</c>, <c>$(</c>, <c>@(</c> and no magic
/// <c>%X</c>, expanding it again changes nothing. (It is not idempotent in general, in uWSGI too: <c>%%n</c> becomes
/// <c>%n</c>, which a second pass would expand; see the last test.)
/// </summary>
public class ExpansionPropertyTests
{
    private static readonly Dictionary<string, string> Keys = new() { ["a"] = "alpha", ["b"] = "2", ["c"] = "/srv/c" };
    private static readonly Dictionary<string, string> Env = new() { ["HOME"] = "/home/x", ["N"] = "7" };

    private static readonly ValueExpander Expander = new(n => Env.GetValueOrDefault(n), n => Keys.GetValueOrDefault(n));

    private static readonly MagicVariables Magic = new("app.ini", "/srv/site/app.ini", "uwsgi", "app.ini", IniFixture.Host("/w"));

    private static Gen<string> Pick(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    private static readonly Gen<string> Plain = Gen.String[Gen.Char["abcxyz019_-./:= "], 0, 8];

    private static readonly Gen<string> Piece = Gen.Frequency(
        (5, Plain),
        (1, Pick("%(a)", "%(b)", "%(c)", "%(a b)", "%(b + 3)", "%(b ++)")),
        (1, Pick("$(HOME)", "$(N)")),
        (1, Pick("%d", "%n", "%e", "%s", "%c", "%h", "%k", "%x")));

    private static readonly Gen<string> Value = Piece.Array[0, 6].Select(string.Concat);

    [Fact]
    public void ExpandTwice_EqualsExpandOnce_ForKnownPlaceholdersAndEnvironment()
    {
        Value.Sample(v =>
        {
            var once = Expander.Expand(Magic.Substitute(v));
            Assert.Equal(once, Expander.Expand(Magic.Substitute(once)));
        });
    }

    [Fact]
    public void PlainText_IsLeftUnchanged()
    {
        Plain.Sample(v =>
        {
            Assert.Equal(v, Expander.Expand(v));
            Assert.Equal(v, Magic.Substitute(v));
        });
    }

    [Fact]
    public void Expansion_IsAConcatenationOfExpandedPieces()
    {
        // One left-to-right pass: expanding a whole value equals expanding its pieces one by one.
        Piece.Array[0, 6].Sample(pieces =>
            Assert.Equal(
                string.Concat(pieces.Select(p => Expander.Expand(Magic.Substitute(p)))),
                Expander.Expand(Magic.Substitute(string.Concat(pieces)))));
    }

    [Fact]
    public void EscapedPercent_IsNotIdempotent_AsInUwsgi()
    {
        var once = Magic.Substitute("%%n");
        Assert.Equal("%n", once);
        Assert.Equal("app", Magic.Substitute(once));
    }

    [Fact]
    public void Grammar_PrintedEntries_ParseBack()
    {
        var key = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz-_0123456789"], 1, 12];
        var value = Gen.String[Gen.Char["abc xyz/:=;#%()$@.-"], 0, 16].Select(s => s.Trim());
        Gen.Select(key, value).Array[0, 20].Sample(entries =>
        {
            var text = "[uwsgi]\n" + string.Concat(entries.Select(e => $"{e.Item1} = {e.Item2}\n"));
            var lines = IniGrammar.Parse(text).Where(l => l.Kind == IniLineKind.Entry).Select(l => (l.Key, l.Value));
            Assert.Equal(entries, lines);
        });
    }
}
