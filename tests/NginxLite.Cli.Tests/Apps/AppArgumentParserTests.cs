using NginxLite.Cli.Apps;
using Xunit;

namespace NginxLite.Cli.Tests.Apps;

/// <summary>argv of <c>nginxlite wsgi</c> (gunicorn's names) and <c>nginxlite rack</c> (rackup's), read as argparse does.</summary>
public sealed class AppArgumentParserTests
{
    [Fact]
    public void Parse_SeedGunicornShArguments_WorkersBindAndApp()
    {
        // ../shared/examples/seed/gunicorn.sh: gunicorn --workers 4 --bind 0.0.0.0:8000 myapp:app
        var s = AppArgumentParser.Parse(["--workers", "4", "--bind", "0.0.0.0:8000", "myapp:app"], AppFrontEnd.Wsgi, out var error);

        Assert.Null(error);
        Assert.Equal((4, "myapp:app"), (s!.Workers, s.App));
        Assert.Equal(["0.0.0.0:8000"], s.Bind);
    }

    [Fact]
    public void Parse_ShortGluedEqualsAndRepeatedForms_AllRead()
    {
        var s = AppArgumentParser.Parse(["-w4", "-b", "127.0.0.1:1", "--bind=unix:app.sock", "--threads=2", "-e", "A=1", "--env", "B=2", "-t", "5", "app:application"], AppFrontEnd.Wsgi, out var error);

        Assert.Null(error);
        Assert.Equal((4, 2, 5), (s!.Workers, s.Threads, s.Timeout));
        Assert.Equal(["127.0.0.1:1", "unix:app.sock"], s.Bind);
        Assert.Equal(["A=1", "B=2"], s.RawEnv);
    }

    [Theory]
    [InlineData(new[] { "--bogus", "a:b" }, "nginxlite wsgi: error: unrecognized arguments: --bogus")]
    [InlineData(new[] { "--workers", "x", "a:b" }, "nginxlite wsgi: error: argument -w/--workers: invalid int value: 'x'")]
    [InlineData(new[] { "a:b", "--bind" }, "nginxlite wsgi: error: argument -b/--bind: expected one argument")]
    [InlineData(new[] { "a:b", "c:d" }, "nginxlite wsgi: error: unrecognized arguments: c:d")]
    [InlineData(new[] { "--reload=yes", "a:b" }, "nginxlite wsgi: error: argument --reload: ignored explicit argument 'yes'")]
    public void Parse_BadArguments_ArgparseMessage(string[] args, string expected)
    {
        Assert.Null(AppArgumentParser.Parse(args, AppFrontEnd.Wsgi, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Run_UnknownOption_UsageOnStderrExit2()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var rc = CommandLine.Run(["wsgi", "--bogus", "myapp:app"], stdout, stderr);

        Assert.Equal(2, rc);
        Assert.Equal("usage: nginxlite wsgi [OPTIONS] [APP_MODULE]\nnginxlite wsgi: error: unrecognized arguments: --bogus\n", stderr.ToString());
    }

    [Fact]
    public void Run_Help_ListsOptionsExit0()
    {
        var stdout = new StringWriter();

        var rc = CommandLine.Run(["rack", "-h"], stdout, TextWriter.Null);

        Assert.Equal(0, rc);
        Assert.Contains("usage: nginxlite rack [OPTIONS] [RACKUP_FILE]", stdout.ToString());
        Assert.Contains("-p, --port PORT", stdout.ToString());
    }

    [Fact]
    public void Parse_RackupHostPortAndConfigRu_Read()
    {
        var s = AppArgumentParser.Parse(["-p", "9393", "-o", "127.0.0.1", "-w", "2", "app.ru"], AppFrontEnd.Rack, out var error);

        Assert.Null(error);
        Assert.Equal(("127.0.0.1", 9393, 2, "app.ru"), (s!.Host, s.Port, s.Workers, s.App));
    }

    [Fact]
    public void Parse_RackPreload_Read()
    {
        Assert.True(AppArgumentParser.Parse(["--preload", "config.ru"], AppFrontEnd.Rack, out var error)!.Preload);
        Assert.Null(error);
    }

    [Fact]
    public void Parse_WsgiPreload_GunicornsFlagRead()
    {
        var s = AppArgumentParser.Parse(["--preload", "-w", "2", "myapp:app"], AppFrontEnd.Wsgi, out var error);

        Assert.Null(error);
        Assert.True(s!.Preload);
        Assert.Equal("myapp:app", s.App);
        Assert.Null(AppArgumentParser.Parse(["myapp:app"], AppFrontEnd.Wsgi, out _)!.Preload);
    }

    [Fact]
    public void Parse_RackShortB_IsRackupsBuilderSoUnrecognized()
    {
        Assert.Null(AppArgumentParser.Parse(["-b", "x", "config.ru"], AppFrontEnd.Rack, out var error));
        Assert.Equal("nginxlite rack: error: unrecognized arguments: -b config.ru", error);
    }
}
