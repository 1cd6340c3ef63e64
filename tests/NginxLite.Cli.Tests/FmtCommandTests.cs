using Xunit;
using System.Text;

namespace NginxLite.Cli.Tests;

public sealed class FmtCommandTests : IDisposable
{
    private const string Messy = "http {\n  server { listen 80; }\n}\n";
    private const string Tidy = "http {\n    server {\n        listen 80;\n    }\n}\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("nginxlite-fmt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Rc, string Stdout, string Stderr) Run(string stdin, params string[] args)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        using var output = new MemoryStream();
        var stderr = new StringWriter();
        var rc = FmtCommand.Run(args, input, output, stderr);
        return (rc, Encoding.UTF8.GetString(output.ToArray()), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Fmt_File_PrintsFormattedAndLeavesFile()
    {
        var path = Write("a.conf", Messy);
        var (rc, stdout, _) = Run("", path);
        Assert.Equal(0, rc);
        Assert.Equal(Tidy, stdout);
        Assert.Equal(Messy, File.ReadAllText(path));
    }

    [Fact]
    public void Fmt_Stdin_PrintsFormatted()
    {
        var (rc, stdout, _) = Run(Messy, "-");
        Assert.Equal(0, rc);
        Assert.Equal(Tidy, stdout);
    }

    [Fact]
    public void Fmt_CheckOnUnformattedFile_ListsItAndExits1()
    {
        var messy = Write("messy.conf", Messy);
        var tidy = Write("tidy.conf", Tidy);
        var (rc, stdout, stderr) = Run("", "--check", messy, tidy);
        Assert.Equal(1, rc);
        Assert.Equal("", stdout);
        Assert.Equal(messy + "\n", stderr.ReplaceLineEndings("\n"));
        Assert.Equal(0, Run("", "--check", tidy).Rc);
    }

    [Fact]
    public void Fmt_Write_RewritesInPlaceKeepingMode()
    {
        var path = Write("w.conf", Messy);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (rc, stdout, _) = Run("", "-w", path);
        Assert.Equal(0, rc);
        Assert.Equal("", stdout);
        Assert.Equal(Tidy, File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Fmt_SyntaxError_Exits2AndLeavesFile()
    {
        var path = Write("bad.conf", "http {\n  listen 80;\n");
        var (rc, stdout, stderr) = Run("", "-w", path);
        Assert.Equal(2, rc);
        Assert.Equal("", stdout);
        Assert.Contains($"[emerg] unexpected end of file, expecting \";\" or \"}}\" in {path}:3", stderr, StringComparison.Ordinal);
        Assert.Equal("http {\n  listen 80;\n", File.ReadAllText(path));
    }

    [Fact]
    public void Fmt_FileWithInclude_NotFollowed()
    {
        var path = Write("inc.conf", "http { include /nonexistent/*.conf;  include missing.conf; }");
        var (rc, stdout, _) = Run("", path);
        Assert.Equal(0, rc);
        Assert.Equal("http {\n    include /nonexistent/*.conf;\n    include missing.conf;\n}\n", stdout);
    }

    [Theory]
    [InlineData("--check", "-w")]
    [InlineData("--bogus")]
    [InlineData]
    public void Fmt_BadArguments_Exits2WithUsage(params string[] args)
    {
        var (rc, _, stderr) = Run("", args);
        Assert.Equal(2, rc);
        Assert.Contains("usage: nginxlite fmt", stderr, StringComparison.Ordinal);
    }
}
