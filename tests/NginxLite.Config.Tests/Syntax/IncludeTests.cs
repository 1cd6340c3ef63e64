using Xunit;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using static NginxLite.Config.Tests.Syntax.SyntaxTestSupport;

namespace NginxLite.Config.Tests.Syntax;

public sealed class IncludeTests : IDisposable
{
    private readonly string _dir = CreateTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private (ConfigDocument Document, DiagnosticBag Diagnostics) Load(string main, LoadOptions? options = null)
    {
        var bag = new DiagnosticBag();
        return (ConfigLoader.Load(main, options ?? new LoadOptions(), bag), bag);
    }

    [Fact]
    public void Include_Relative_ResolvesAgainstMainFileDirectory()
    {
        Write("mime.types", "types {\n  text/html html;\n}\n");
        var main = Write("nginx.conf", "http {\n  include mime.types;\n  default_type x;\n}\n");
        var (document, bag) = Load(main);
        Assert.Null(document.SyntaxError);
        Assert.Empty(bag.Items);
        var http = document.Directives[0];
        Assert.Equal(["types", "default_type"], http.Block!.Select(d => d.Name));
        var types = http.Block![0];
        Assert.Equal(new SourcePosition(Path.Combine(_dir, "mime.types"), 1), types.Position);
        Assert.Equal(new SourcePosition(main, 2), types.IncludedFrom);
        Assert.Equal(new SourcePosition(Path.Combine(_dir, "mime.types"), 2), types.Block![0].Position);
        Assert.Null(http.IncludedFrom);
        // http=1, include=2, types=3, text/html=4, types end=5, default_type=6, http end=7
        Assert.Equal((3, 5), (types.Ordinal, types.EndOrdinal));
        Assert.Equal(6, http.Block[1].Ordinal);
        Assert.Equal(7, http.EndOrdinal);
        Assert.Equal([main, Path.Combine(_dir, "mime.types")], document.Files.Select(f => f.Path));
    }

    [Fact]
    public void Include_ConfigDirectoryOption_OverridesMainFileDirectory()
    {
        Write("conf/a.conf", "a;");
        var main = Write("other/nginx.conf", "include a.conf;");
        var (document, _) = Load(main, new LoadOptions { ConfigDirectory = Path.Combine(_dir, "conf") });
        Assert.Equal("a", Assert.Single(document.Directives).Name);
    }

    [Fact]
    public void Include_Absolute_Nested_KeepsOwnFileAndLine()
    {
        var inner = Write("x/inner.conf", "\n\ninner;\n");
        var outer = Write("y/outer.conf", $"outer;\ninclude {inner};\n");
        var main = Write("nginx.conf", $"include {outer};\nlast;\n");
        var (document, bag) = Load(main);
        Assert.Empty(bag.Items);
        Assert.Equal(["outer", "inner", "last"], document.Directives.Select(d => d.Name));
        Assert.Equal(new SourcePosition(inner, 3), document.Directives[1].Position);
        Assert.Equal(new SourcePosition(outer, 2), document.Directives[1].IncludedFrom);
        Assert.Equal(new SourcePosition(main, 1), document.Directives[0].IncludedFrom);
        Assert.Equal([main, outer, inner], document.Files.Select(f => f.Path));
        Assert.Equal([2, 4, 5], document.Directives.Select(d => d.Ordinal));
    }

    [Fact]
    public void Include_Glob_ReadsMatchesInSortedOrder()
    {
        Write("conf.d/b.conf", "b;");
        Write("conf.d/a.conf", "a;");
        Write("conf.d/C.conf", "C;");
        Write("conf.d/.hidden.conf", "hidden;");
        Write("conf.d/skip.txt", "skip;");
        Write("conf.d/sub1/x.conf", "x1;");
        Write("conf.d/sub2/x.conf", "x2;");
        var main = Write("nginx.conf", "include conf.d/*.conf;\ninclude conf.d/sub[0-9]/?.conf;\n");
        var (document, bag) = Load(main);
        Assert.Empty(bag.Items);
        Assert.Equal(["C", "a", "b", "x1", "x2"], document.Directives.Select(d => d.Name));
        Assert.Equal(6, document.Files.Count);
    }

    [Fact]
    public void Include_GlobNoMatch_IsFine()
    {
        var main = Write("nginx.conf", "include /nonexistent/*.conf;\na;\n");
        var (document, bag) = Load(main);
        Assert.Null(document.SyntaxError);
        Assert.Empty(bag.Items);
        Assert.Equal("a", Assert.Single(document.Directives).Name);
    }

    [Fact]
    public void Include_MissingFile_ReportedAtIncludeAndReadingContinues()
    {
        var main = Write("nginx.conf", "events {}\nhttp {\n  include /nonexistent/x.conf;\n  a;\n}\n");
        var (document, bag) = Load(main);
        Assert.Null(document.SyntaxError);
        var diagnostic = Assert.Single(bag.Items);
        Assert.Equal($"[emerg] open() \"/nonexistent/x.conf\" failed (2: No such file or directory) in {main}:3", diagnostic.ToString());
        Assert.Equal(4, diagnostic.Ordinal); // events=1, events end=2, http=3, include=4
        Assert.Equal("a", Assert.Single(document.Directives[1].Block!).Name);
    }

    [Fact]
    public void Include_MissingFileOverTwoLines_ReportedAtSemicolonLineAsNginx()
    {
        // nginx 1.22: open() "/nonexistent/a.conf" failed (2: No such file or directory) in m2.conf:4
        var main = Write("nginx.conf", "events {}\nhttp {\n  include\n  /nonexistent/a.conf;\n}\n");
        var (_, bag) = Load(main);
        Assert.Equal(new SourcePosition(main, 4), Assert.Single(bag.Items).Position);
    }

    [Fact]
    public void Include_SyntaxErrorInIncludedFile_StopsEverything()
    {
        Write("bad.conf", "a;\n}\n");
        var main = Write("nginx.conf", "http {\n  include bad.conf;\n  never;\n}\nnever;\n");
        var (document, _) = Load(main);
        Assert.Equal($"[emerg] unexpected \"}}\" in {Path.Combine(_dir, "bad.conf")}:2", document.SyntaxError!.ToString());
        var http = Assert.Single(document.Directives);
        Assert.Equal("a", Assert.Single(http.Block!).Name);
    }

    [Fact]
    public void Include_SameFileTwice_ExpandedTwiceListedOnce()
    {
        var common = Write("common.conf", "c;");
        var main = Write("nginx.conf", "a { include common.conf; }\nb { include common.conf; }\n");
        var (document, _) = Load(main);
        Assert.All(document.Directives, d => Assert.Equal("c", Assert.Single(d.Block!).Name));
        Assert.Equal([main, common], document.Files.Select(f => f.Path));
    }

    [Fact]
    public void Include_FromGlobalDirectives_ResolvesAgainstConfigDirectory()
    {
        Write("g.conf", "from_g;");
        var main = Write("nginx.conf", "a;");
        var (document, _) = Load(main, new LoadOptions { GlobalDirectives = "include g.conf;" });
        Assert.Equal(["from_g", "a"], document.Directives.Select(d => d.Name));
        Assert.Equal(new SourcePosition("command line", 0), document.Directives[0].IncludedFrom);
    }

    [Fact]
    public void Include_InsideTypesBlock_Expanded()
    {
        Write("more.types", "image/png png;");
        var main = Write("nginx.conf", "types { text/html html; include more.types; }");
        var (document, _) = Load(main);
        Assert.Equal(["text/html", "image/png"], document.Directives[0].Block!.Select(d => d.Name));
    }

    [Theory]
    [InlineData("include;")]
    [InlineData("include a b;")]
    [InlineData("include a { }")]
    public void Include_WrongShape_LeftForBinder(string text)
    {
        var main = Write("nginx.conf", text);
        var (document, bag) = Load(main);
        Assert.Empty(bag.Items);
        Assert.Equal("include", Assert.Single(document.Directives).Name);
    }

    [Fact]
    public void Include_Recursive_StopsAtDepthLimit()
    {
        var main = Write("nginx.conf", "a;\ninclude nginx.conf;\n");
        var (document, bag) = Load(main);
        Assert.Null(document.SyntaxError);
        Assert.Contains("include nesting deeper than", Assert.Single(bag.Items).Message);
        Assert.Equal(ConfigExpander.MaxIncludeDepth + 1, document.Directives.Count);
        Assert.Single(document.Files);
    }

    [Theory]
    [InlineData("15-include-missing.conf", "open() \"/nonexistent/x.conf\" failed (2: No such file or directory)", 3)]
    [InlineData("16-include-glob-nomatch.conf", null, 0)]
    public void NginxTCases_Include_MatchResults(string file, string? message, int line)
    {
        var path = Path.Combine(SharedDirectory(), "corpus", "nginx-t-cases", file);
        var (document, bag) = Load(path);
        Assert.Null(document.SyntaxError);
        if (message is null)
        {
            Assert.Empty(bag.Items);
            return;
        }

        Assert.Equal($"[emerg] {message} in {path}:{line}", Assert.Single(bag.Items).ToString());
    }
}
