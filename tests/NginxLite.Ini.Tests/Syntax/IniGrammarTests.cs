using NginxLite.Ini.Syntax;

namespace NginxLite.Ini.Tests.Syntax;

public class IniGrammarTests
{
    [Fact]
    public void Parse_KeysSectionsCommentsAndBlanks_KeepsLineNumbersAndStrips()
    {
        var lines = IniGrammar.Parse("""
            [uwsgi]
            ; a comment
              # another
            socket=:3031
            processes   =   4   
            master

            env = A=B = C
            """);

        Assert.Equal(
            [
                (IniLineKind.Section, "uwsgi", "", 1),
                (IniLineKind.Comment, "", " a comment", 2),
                (IniLineKind.Comment, "", " another", 3),
                (IniLineKind.Entry, "socket", ":3031", 4),
                (IniLineKind.Entry, "processes", "4", 5),
                (IniLineKind.Entry, "master", "", 6),
                (IniLineKind.Blank, "", "", 7),
                (IniLineKind.Entry, "env", "A=B = C", 8),
            ],
            lines.Select(l => (l.Kind, l.Key, l.Value, l.Line)));
        Assert.False(lines[5].HasEquals);
    }

    [Fact]
    public void Parse_CrLfAndTabs_AreStrippedAsUwsgiDoes()
    {
        var lines = IniGrammar.Parse("[uwsgi]\r\n\tmodule\t=\tapp:app\r\n");
        Assert.Equal(2, lines.Count);
        Assert.Equal(("module", "app:app"), (lines[1].Key, lines[1].Value));
    }

    [Fact]
    public void Parse_SectionName_DropsTheLastCharacterWhateverItIs()
    {
        // uWSGI's ini.c: section[strlen(section) - 1] = 0
        Assert.Equal("uwsgi", IniGrammar.Parse("[uwsgi]")[0].Key);
        Assert.Equal("uwsg", IniGrammar.Parse("[uwsgi")[0].Key);
        Assert.Equal("dev", IniGrammar.Parse("  [dev]   ")[0].Key);
    }

    [Fact]
    public void Parse_KeyWithSpacesAndEmptyValue_KeptAsWritten()
    {
        var line = IniGrammar.Parse("my key =")[0];
        Assert.Equal((IniLineKind.Entry, "my key", ""), (line.Kind, line.Key, line.Value));
        Assert.True(line.HasEquals);
    }

    [Fact]
    public void Parse_SemicolonInsideValue_IsNotAComment()
    {
        Assert.Equal("a;b # c", IniGrammar.Parse("x = a;b # c")[0].Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\n\n\n")]
    [InlineData("===")]
    [InlineData("[")]
    public void Parse_DegenerateInput_NeverThrows(string text)
    {
        var lines = IniGrammar.Parse(text);
        Assert.NotEmpty(lines);
    }
}
