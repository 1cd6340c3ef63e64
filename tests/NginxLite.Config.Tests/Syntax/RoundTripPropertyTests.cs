using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Xunit;
using NginxLite.Config.Syntax;

namespace NginxLite.Config.Tests.Syntax;

/// <summary>Random trees → <see cref="ConfigPrinter"/> → parse → the same tokens.</summary>
public class RoundTripPropertyTests
{
    /// <summary>A token written as pieces of (raw text, value nginx gives it); the oracle does not use our unescaper.</summary>
    private sealed record Token(string Raw, string Value, ArgumentQuote Quote);

    private sealed record Node(Token Name, Token[] Arguments, Node[]? Block);

    private static readonly Gen<(string Raw, string Value)> Letters =
        Gen.String[Gen.Char["abcxyz019_-./:=~"], 1, 6].Select(s => (s, s));

    private static readonly Gen<(string Raw, string Value)> BarePiece = Gen.Frequency(
        (6, Letters),
        (1, Gen.Const(("$host", "$host"))),
        (1, Gen.Const(("${uri}", "${uri}"))),
        (1, Gen.Const(("#x", "#x"))),
        (1, Gen.Const(("}", "}"))),
        (1, Gen.Const(("\"", "\""))),
        (1, Gen.Const(("\\;", "\\;"))),
        (1, Gen.Const(("\\ ", "\\ "))),
        (1, Gen.Const(("\\n", "\n"))),
        (1, Gen.Const(("\\\\", "\\"))));

    private static Gen<(string Raw, string Value)> QuotedPiece(char quote, bool rawNewlines) => Gen.Frequency(
        (6, Letters),
        (1, Gen.Const((" ", " "))),
        (1, Gen.Const(("{", "{"))),
        (1, Gen.Const(("}", "}"))),
        (1, Gen.Const((";", ";"))),
        (1, Gen.Const(("#", "#"))),
        (1, Gen.Const(("${x}", "${x}"))),
        (1, Gen.Const(("\\\"", "\""))),
        (1, Gen.Const(("\\'", "'"))),
        (1, Gen.Const(("\\\\", "\\"))),
        (1, Gen.Const(("\\t", "\t"))),
        (1, Gen.Const(("\\r", "\r"))),
        (1, Gen.Const(("\\n", "\n"))),
        (1, Gen.Const(("\\q", "\\q"))),
        (1, Gen.Const(quote == '"' ? ("'", "'") : ("\"", "\""))),
        (rawNewlines ? 1 : 0, Gen.Const(("\n", "\n"))));

    private static Gen<Token> Bare =>
        Gen.Select(Letters, BarePiece.Array[0, 4], (first, rest) =>
            new Token(first.Raw + string.Concat(rest.Select(p => p.Raw)), first.Value + string.Concat(rest.Select(p => p.Value)), ArgumentQuote.None));

    private static Gen<Token> Quoted(char quote, bool rawNewlines) =>
        QuotedPiece(quote, rawNewlines).Array[0, 6].Select(pieces => new Token(
            quote + string.Concat(pieces.Select(p => p.Raw)) + quote,
            string.Concat(pieces.Select(p => p.Value)),
            quote == '"' ? ArgumentQuote.Double : ArgumentQuote.Single));

    private static Gen<Token> Argument(bool rawNewlines) =>
        Gen.Frequency((3, Bare), (1, Quoted('"', rawNewlines)), (1, Quoted('\'', rawNewlines)));

    private static readonly Gen<Token> Name =
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_"], 1, 10].Select(s => new Token(s, s, ArgumentQuote.None));

    private static Gen<Node[]> Nodes(int depth, bool rawNewlines) =>
        Gen.Select(Name, Argument(rawNewlines).Array[0, 4], depth == 0 ? Gen.Const(false) : Gen.Int[0, 3].Select(i => i == 0),
                (name, args, isBlock) => (name, args, isBlock))
            .SelectMany(t => t.isBlock
                ? Nodes(depth - 1, rawNewlines).Select(children => new Node(t.name, t.args, children))
                : Gen.Const(new Node(t.name, t.args, null)))
            .Array[0, 4];

    private static ConfigDirective ToDirective(Node node) =>
        new(node.Name.Value,
            [.. node.Arguments.Select(a => new ConfigArgument(a.Value, a.Quote, a.Raw))],
            node.Block?.Select(ToDirective).ToList(),
            new SourcePosition("gen", 0), 0, 0) { RawName = node.Name.Raw };

    private static void AssertSameTokens(IReadOnlyList<ConfigDirective> expected, IReadOnlyList<ConfigDirective> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.Equal(
                expected[i].Arguments.Select(a => (a.Raw, a.Value, a.Quote)),
                actual[i].Arguments.Select(a => (a.Raw, a.Value, a.Quote)));
            Assert.Equal(expected[i].HasBlock, actual[i].HasBlock);
            if (expected[i].Block is { } block)
            {
                AssertSameTokens(block, actual[i].Block!);
            }
        }
    }

    [Fact]
    public void PrintThenParse_RandomTrees_SameTokens()
    {
        Nodes(3, rawNewlines: true).Sample(nodes =>
        {
            var tree = nodes.Select(ToDirective).ToList();
            var text = ConfigPrinter.Print(tree);
            var document = SyntaxTestSupport.Parse(text);
            Assert.True(document.SyntaxError is null, $"{document.SyntaxError} in:\n{text}");
            AssertSameTokens(tree, document.Directives);
        }, iter: 2000);
    }

    [Fact]
    public void PrintWithCommentsThenParse_RandomTrees_SameTokens()
    {
        Nodes(3, rawNewlines: false).Sample(nodes =>
        {
            var tree = nodes.Select(ToDirective).ToList();
            var printed = ConfigPrinter.Print(tree);

            // A comment after every statement and on lines of its own, as people write them.
            var text = "# header\n" + Regex.Replace(printed, "([;{}])\n", "$1 # note ;{}\"'\n  # line\n");
            var document = SyntaxTestSupport.Parse(text);
            Assert.True(document.SyntaxError is null, $"{document.SyntaxError} in:\n{text}");
            AssertSameTokens(tree, document.Directives);
        }, iter: 1000);
    }

    [Fact]
    public void Print_ParsedConfig_ReproducesTokens()
    {
        const string text = """
            http {
                log_format main '$remote_addr "$request"'
                                "\t$status";
                server {
                    location ~ "^/(\d{3})$" { return 200 ${uri}x; }
                    if ($a = "b") { set $c d\;e; }
                }
            }
            """;
        var first = SyntaxTestSupport.Parse(text);
        var printed = ConfigPrinter.Print(first.Directives);
        var second = SyntaxTestSupport.Parse(printed);
        AssertSameTokens(first.Directives, second.Directives);
        Assert.Contains("\"^/(\\d{3})$\"", printed);
    }

    [Theory]
    [InlineData("a b", "\"a b\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("plain", "plain")]
    [InlineData("$host", "$host")]
    public void Print_BareArgumentBuiltInCode_QuotedWhenNeeded(string value, string expected)
    {
        var directive = new ConfigDirective("x", [ConfigArgument.Bare(value)], null, new SourcePosition("code", 0), 0, 0);
        Assert.Equal($"x {expected};\n", ConfigPrinter.Print([directive]));
        var reparsed = SyntaxTestSupport.Single(ConfigPrinter.Print([directive]));
        Assert.Equal(value, reparsed.Arg(0));
    }

    [Fact]
    public void Print_Block_IndentsChildren() =>
        Assert.Equal("a {\n    b;\n}\n", ConfigPrinter.Print(SyntaxTestSupport.Parse(Encoding.ASCII.GetString("a{b;}"u8)).Directives));
}
