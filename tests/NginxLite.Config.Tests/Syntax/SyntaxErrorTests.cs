using Xunit;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using static NginxLite.Config.Tests.Syntax.SyntaxTestSupport;

namespace NginxLite.Config.Tests.Syntax;

public class SyntaxErrorTests
{
    private static Diagnostic Error(string text, LoadOptions? options = null)
    {
        var document = Parse(text, options);
        Assert.NotNull(document.SyntaxError);
        Assert.Equal(Severity.Emerg, document.SyntaxError.Severity);
        return document.SyntaxError;
    }

    [Theory]
    [InlineData("events {}\nhttp {\n  server { listen 127.0.0.1:8081;\n}\n", "unexpected end of file, expecting \"}\"", 5)]
    [InlineData("events {}\nhttp {\n}\n}\n", "unexpected \"}\"", 4)]
    [InlineData("events {}\nhttp {\n  ;\n}\n", "unexpected \";\"", 3)]
    [InlineData("events {}\nhttp {\n  server { listen 127.0.0.1:8081; }\n}\nuser nobody", "unexpected end of file, expecting \";\" or \"}\"", 5)]
    [InlineData("events {}\nhttp {\n  server_tokens \"off;\n}\n", "unexpected end of file, expecting \";\" or \"}\"", 5)]
    [InlineData("events {}\nhttp {\n  server { listen 127.0.0.1:8081; return 200 \"a\"b; }\n}\n", "unexpected \"b\"", 3)]
    [InlineData("{", "unexpected \"{\"", 1)]
    [InlineData("a {\n  b }", "unexpected \"}\"", 2)]
    [InlineData("a \"b\"}", "unexpected \"}\"", 1)]
    [InlineData("a\n", "unexpected end of file, expecting \";\" or \"}\"", 2)]
    [InlineData("a {", "unexpected end of file, expecting \"}\"", 1)]
    [InlineData("a 'b\n\n", "unexpected end of file, expecting \";\" or \"}\"", 3)]
    [InlineData("a \\", "unexpected end of file, expecting \";\" or \"}\"", 1)]
    public void Syntax_BrokenText_NginxMessageAndLine(string text, string message, int line)
    {
        var error = Error(text);
        Assert.Equal(message, error.Message);
        Assert.Equal(new SourcePosition(FileName, line), error.Position);
    }

    [Fact]
    public void SyntaxError_AfterDirectives_KeepsPartialBlocksAndNextOrdinal()
    {
        var document = Parse("events {}\nhttp {\n  server { listen 80; location / { return 200 ok {; } }\n}\n");
        Assert.Equal("unexpected \";\"", document.SyntaxError!.Message);
        var http = document.Directives[1];
        var server = Assert.Single(http.Block!);
        var location = server.Block![1];
        var ret = Assert.Single(location.Block!);
        Assert.Equal("return", ret.Name);
        Assert.NotNull(ret.Block);
        Assert.Empty(ret.Block);
        Assert.Equal(ret.Ordinal + 1, document.SyntaxError.Ordinal);
        Assert.True(http.EndOrdinal > document.SyntaxError.Ordinal);
        Assert.Equal(0, http.EndLine);
    }

    [Fact]
    public void TooLongParameter_Bare_ReportsFirstTenBytes()
    {
        var text = "a " + new string('x', 5000) + ";\n";
        var error = Error(text);
        Assert.Equal("too long parameter \"xxxxxxxxxx...\" started", error.Message);
        Assert.Equal(1, error.Position!.Value.Line);
    }

    [Fact]
    public void TooLongParameter_OpenQuote_ProbablyMissingQuote()
    {
        var text = "a \"b;\n" + string.Concat(Enumerable.Repeat("c d e f g\n", 500));
        var error = Error(text);
        Assert.Equal("too long parameter, probably missing terminating \"\"\" character", error.Message);
        Assert.Equal(1, error.Position!.Value.Line);
    }

    [Fact]
    public void TooLongComment_FillsNginxBuffer_ReportedAsParameter()
    {
        var error = Error("a;\n#" + new string('c', 5000) + "\nb;\n");
        Assert.Equal("too long parameter \"#ccccccccc...\" started", error.Message);
        Assert.Equal(2, error.Position!.Value.Line);
    }

    [Fact]
    public void ParameterFillingBufferAtEndOfFile_EndOfFileNotTooLong()
    {
        // nginx only says "too long" when the buffer is full and more of the file is left to read.
        Assert.Equal("unexpected end of file, expecting \";\" or \"}\"", Error("a " + new string('x', 4096)).Message);
        Assert.StartsWith("too long parameter", Error("a " + new string('x', 4096) + ";").Message);
    }

    [Fact]
    public void ParameterOfExactly4095Bytes_IsFine()
    {
        var document = Parse("a " + new string('x', 4095) + ";\n");
        Assert.Null(document.SyntaxError);
    }

    [Fact]
    public void GlobalDirectives_Unterminated_EndOfParameter()
    {
        var error = Error("a;", new LoadOptions { GlobalDirectives = "daemon off" });
        Assert.Equal("unexpected end of parameter, expecting \";\"", error.Message);
        Assert.Equal("[emerg] unexpected end of parameter, expecting \";\" in command line", error.ToString());
    }

    [Fact]
    public void GlobalDirectives_Block_NotSupported()
    {
        var document = Parse("a;", new LoadOptions { GlobalDirectives = "events { }" });
        Assert.Equal("block directives are not supported in -g option", document.SyntaxError!.Message);
        Assert.Empty(document.Directives);
    }

    [Fact]
    public void MainFileMissing_OpenFailedWithoutPosition_DoesNotThrow()
    {
        var document = ConfigLoader.Load("/nonexistent/nginx.conf", new LoadOptions(), new DiagnosticBag());
        Assert.Equal("[emerg] open() \"/nonexistent/nginx.conf\" failed (2: No such file or directory)", document.SyntaxError!.ToString());
        Assert.Empty(document.Directives);
        Assert.Empty(document.Files);
    }

    /// <summary>The cases of /work/shared/corpus/nginx-t-cases whose nginx -t result is a syntax error.</summary>
    [Theory]
    [InlineData("05-eof-expecting-brace.conf", "unexpected end of file, expecting \"}\"", 5)]
    [InlineData("06-unexpected-close-brace.conf", "unexpected \"}\"", 4)]
    [InlineData("07-unexpected-semicolon.conf", "unexpected \";\"", 3)]
    [InlineData("19-eof-expecting-semicolon.conf", "unexpected end of file, expecting \";\" or \"}\"", 5)]
    [InlineData("30-unterminated-quote.conf", "unexpected end of file, expecting \";\" or \"}\"", 5)]
    [InlineData("36-too-long-param-or-quote.conf", "unexpected \"b\"", 3)]
    public void NginxTCases_SyntaxErrors_MatchResults(string file, string message, int line)
    {
        var path = Path.Combine(SharedDirectory(), "corpus", "nginx-t-cases", file);
        var document = ConfigLoader.Load(path, new LoadOptions(), new DiagnosticBag());
        Assert.Equal($"[emerg] {message} in {path}:{line}", document.SyntaxError!.ToString());
        Assert.Contains($"[emerg] {message} in $CASES/{file}:{line}", File.ReadAllText(Path.Combine(SharedDirectory(), "corpus", "nginx-t-cases", "RESULTS.txt")));
    }

    [Fact]
    public void NginxTCase35_ReturnWithBrace_ParsesAsBlockBeforeError()
    {
        var path = Path.Combine(SharedDirectory(), "corpus", "nginx-t-cases", "35-unexpected-open-brace.conf");
        var document = ConfigLoader.Load(path, new LoadOptions(), new DiagnosticBag());
        Assert.Equal("unexpected \";\"", document.SyntaxError!.Message);
        var ret = document.Directives[1].Block![0].Block![1].Block![0];
        Assert.Equal("return", ret.Name);
        Assert.True(ret.HasBlock);
        Assert.Equal(3, ret.Position.Line);
        Assert.True(ret.Ordinal < document.SyntaxError.Ordinal);
    }
}
