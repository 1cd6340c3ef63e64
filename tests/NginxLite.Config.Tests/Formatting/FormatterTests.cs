using System.Text;
using NginxLite.Config.Formatting;

namespace NginxLite.Config.Tests.Formatting;

public class FormatterTests
{
    private static string Format(string text)
    {
        Assert.True(ConfigFormatter.TryFormat(text, out var formatted, out var error), error?.ToString());
        return formatted;
    }

    [Fact]
    public void Format_TrailingComments_StayOnTheirLine()
    {
        var input = "server {   # main\n  listen 80;# port\n  location / { root /srv; }   # end\n} # server\n";
        Assert.Equal("server { # main\n    listen 80; # port\n    location / {\n        root /srv;\n    } # end\n} # server\n", Format(input));
    }

    [Fact]
    public void Format_BlankLines_CollapsedToOneAndDroppedAtBlockEdges()
    {
        var input = "\n\nevents {\n\n\n  a 1;\n\n\n\n  b 2;\n\n}\n\n\n\nhttp {\n}\n\n\n";
        Assert.Equal("events {\n    a 1;\n\n    b 2;\n}\n\nhttp {\n}\n", Format(input));
    }

    [Fact]
    public void Format_MultiLineDirective_KeepsBreaksAtItsIndent()
    {
        var input = "http {\n  log_format main '$remote_addr'   # who\n        '$status'\n     '$body_bytes_sent';\n}\n";
        Assert.Equal("http {\n    log_format main '$remote_addr' # who\n    '$status'\n    '$body_bytes_sent';\n}\n", Format(input));
    }

    [Fact]
    public void Format_QuotedWordFollowedByParenthesis_StaysGlued()
    {
        Assert.Equal("if ($a = \"b\") {\n    return 403;\n}\n", Format("if ($a   =   \"b\") { return 403; }"));
    }

    [Fact]
    public void Format_LuaBlock_BodyKeptByteForByte()
    {
        var body = "{ -- a { brace in a comment\n      local s = \"}\" .. [[ { ]]\n   ngx.say(s) }";
        var input = "location /  {\ncontent_by_lua_block " + body + "\n}\n";
        Assert.Equal("location / {\n    content_by_lua_block " + body + "\n}\n", Format(input));
    }

    [Fact]
    public void Format_VariableBraces_StayInTheWord()
    {
        Assert.Equal("set $a ${b}c;\n", Format("set  $a  ${b}c ;"));
    }

    [Theory]
    [InlineData("a;\n}", "unexpected \"}\"", 2)]
    [InlineData("http {\n  a b", "unexpected end of file, expecting \";\" or \"}\"", 2)]
    [InlineData("a \"b\"c;", "unexpected \"c\"", 1)]
    [InlineData("a 'b\n\n", "unexpected end of file, expecting \";\" or \"}\"", 3)]
    [InlineData("\n;", "unexpected \";\"", 2)]
    public void Format_SyntaxError_ReportsNginxMessageAndLine(string input, string message, int line)
    {
        Assert.False(ConfigFormatter.TryFormat(input, out _, out var error));
        Assert.Equal(new FormatError(message, line), error);
    }

    [Fact]
    public void Format_Latin1File_BytesOutsideAsciiKept()
    {
        var input = Encoding.Latin1.GetBytes("# f\u00fcr\n  server_name  m\u00fcller.example;\n");
        Assert.True(ConfigFormatter.TryFormat(input, out var formatted, out _));
        Assert.Equal(Encoding.Latin1.GetBytes("# f\u00fcr\nserver_name m\u00fcller.example;\n"), formatted);
    }
}
