using Xunit;
using System.Text;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using static NginxLite.Config.Tests.Syntax.SyntaxTestSupport;

namespace NginxLite.Config.Tests.Syntax;

public class ConfigLexerTests
{
    [Fact]
    public void BareWords_SplitOnWhitespace_ValuesAndRawEqual()
    {
        var d = Single("listen \t 127.0.0.1:80   default_server;");
        Assert.Equal("listen", d.Name);
        Assert.Equal(["127.0.0.1:80", "default_server"], Values(d));
        Assert.All(d.Arguments, a => Assert.Equal(ArgumentQuote.None, a.Quote));
        Assert.All(d.Arguments, a => Assert.Equal(a.Value, a.Raw));
    }

    [Fact]
    public void QuotedStrings_BothKinds_QuotesRemovedRawKept()
    {
        var d = Single("""add_header X-A "a b;{}#" 'c "d" e';""");
        Assert.Equal(["X-A", "a b;{}#", "c \"d\" e"], Values(d));
        Assert.Equal(ArgumentQuote.Double, d.Arguments[1].Quote);
        Assert.Equal("\"a b;{}#\"", d.Arguments[1].Raw);
        Assert.Equal(ArgumentQuote.Single, d.Arguments[2].Quote);
        Assert.Equal("'c \"d\" e'", d.Arguments[2].Raw);
    }

    [Fact]
    public void EmptyQuotedString_IsAnEmptyArgument()
    {
        var d = Single("""return 200 "";""");
        Assert.Equal(["200", ""], Values(d));
        Assert.Equal("\"\"", d.Arguments[1].Raw);
    }

    [Theory]
    [InlineData("""x "a\"b";""", "a\"b")]
    [InlineData("""x 'a\'b';""", "a'b")]
    [InlineData("""x "a\\b";""", "a\\b")]
    [InlineData("""x "a\tb";""", "a\tb")]
    [InlineData("""x "a\rb";""", "a\rb")]
    [InlineData("""x "a\nb";""", "a\nb")]
    [InlineData("""x "a\qb";""", "a\\qb")]
    [InlineData("""x "a\$b";""", "a\\$b")]
    [InlineData("""x a\"b;""", "a\"b")]
    [InlineData("""x a\ b;""", "a\\ b")]
    [InlineData("""x a\;b;""", "a\\;b")]
    [InlineData("""x a\nb;""", "a\nb")]
    [InlineData("""x \"a;""", "\"a")]
    [InlineData("""x "a\\";""", "a\\")]
    public void Escapes_UnescapedAsNginx_ValueMatches(string text, string expected)
    {
        var d = Single(text);
        var argument = Assert.Single(d.Arguments);
        Assert.Equal(expected, argument.Value);
        Assert.Equal(text[2..^1], argument.Raw);
    }

    [Fact]
    public void Variables_DollarBraceInWord_DoesNotOpenBlock()
    {
        var d = Single("set $a ${host}x${uri};");
        Assert.Equal(["$a", "${host}x${uri}"], Values(d));
        Assert.Null(d.Block);
    }

    [Fact]
    public void BraceWithoutDollar_EndsWordAndOpensBlock()
    {
        var d = Single("location /a{ }");
        Assert.Equal(["/a"], Values(d));
        Assert.NotNull(d.Block);
    }

    [Fact]
    public void QuotedBrace_IsPartOfArgument()
    {
        var d = Single("""rewrite "^/(\d{3})$" /x;""");
        Assert.Equal(["^/(\\d{3})$", "/x"], Values(d));
    }

    [Fact]
    public void Comments_EndOfLineAndInBlocks_Ignored()
    {
        var document = Parse("""
            # top
            a 1; # after
            b { # open
              # inside
              c 2;#tight
            } # close
            """);
        Assert.Null(document.SyntaxError);
        Assert.Equal(["a", "b"], document.Directives.Select(d => d.Name));
        Assert.Equal("c", Assert.Single(document.Directives[1].Block!).Name);
    }

    [Fact]
    public void HashInsideWord_IsPartOfWord()
    {
        var d = Single("x a#b c}d e\"f;");
        Assert.Equal(["a#b", "c}d", "e\"f"], Values(d));
    }

    [Fact]
    public void CloseParenAfterQuote_StartsNewWord()
    {
        var d = Single("""if ($a = "b") { }""");
        Assert.Equal(["($a", "=", "b", ")"], Values(d));
    }

    [Fact]
    public void CrLfLineEnds_LinesCounted()
    {
        var document = Parse("a 1;\r\nb {\r\n  c \"x\r\ny\";\r\n}\r\n");
        Assert.Null(document.SyntaxError);
        var b = document.Directives[1];
        Assert.Equal(2, b.Position.Line);
        Assert.Equal(5, b.EndLine);
        Assert.Equal(4, b.Block![0].TerminatorLine);
        Assert.Equal("x\r\ny", b.Block![0].Arg(0));
    }

    [Fact]
    public void MultiLineDirective_PositionIsNameLine_TerminatorLineIsSemicolon()
    {
        var document = Parse("a 1;\nlog_format main\n  'x'\n  'y';\n");
        var d = document.Directives[1];
        Assert.Equal(2, d.Position.Line);
        Assert.Equal(4, d.TerminatorLine);
        Assert.Equal(4, d.ReportPosition.Line);
    }

    [Fact]
    public void QuotedName_RawNameKept()
    {
        var d = Single("""
            "server_name" a;
            """);
        Assert.Equal("server_name", d.Name);
        Assert.Equal("\"server_name\"", d.RawName);
    }

    [Fact]
    public void NonUtf8Bytes_FallBackToLatin1_RoundTripByteForByte()
    {
        byte[] arg = [0x2F, 0xE9, 0xFF, 0x80, 0x41];
        byte[] content = [.. "return 200 "u8, .. arg, .. ";\n"u8];
        var document = ConfigLoader.LoadBytes(content, FileName, new LoadOptions(), new DiagnosticBag());
        Assert.Null(document.SyntaxError);
        var value = document.Directives[0].Arg(1);
        Assert.Equal(arg, Encoding.Latin1.GetBytes(value));
        Assert.Equal(content, document.Files[0].Content);
    }

    [Fact]
    public void ValidUtf8_DecodedAsUtf8()
    {
        var d = Single("return 200 \"héllo ✓\";");
        Assert.Equal("héllo ✓", d.Arg(1));
    }

    [Fact]
    public void Ordinals_PreOrderWithBlockEndAfterChildren()
    {
        var document = Parse("""
            a;
            b {
              c;
              d { e; }
            }
            f;
            """);
        var (a, b, f) = (document.Directives[0], document.Directives[1], document.Directives[2]);
        var (c, d) = (b.Block![0], b.Block[1]);
        var e = d.Block![0];
        Assert.Equal((1, 1), (a.Ordinal, a.EndOrdinal));
        Assert.Equal(2, b.Ordinal);
        Assert.Equal(3, c.Ordinal);
        Assert.Equal(4, d.Ordinal);
        Assert.Equal(5, e.Ordinal);
        Assert.Equal(6, d.EndOrdinal);
        Assert.Equal(7, b.EndOrdinal);
        Assert.Equal(8, f.Ordinal);
        Assert.Equal(5, b.EndLine);
        Assert.Equal(4, d.EndLine);
    }

    [Fact]
    public void GlobalDirectives_ParsedFirstAsCommandLine()
    {
        var document = Parse("a;", new LoadOptions { GlobalDirectives = "daemon off; pid /x.pid;" });
        Assert.Null(document.SyntaxError);
        Assert.Equal(["daemon", "pid", "a"], document.Directives.Select(d => d.Name));
        Assert.Equal(new SourcePosition("command line", 0), document.Directives[0].Position);
        Assert.Equal([1, 2, 3], document.Directives.Select(d => d.Ordinal));
    }
}
