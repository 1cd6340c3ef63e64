using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary><c>cgi_max_procs N</c> at -t time: a number 1 to 4096 (nginx's bounds wording), in http, server or location.</summary>
public sealed class CgiMaxProcsCheckTests
{
    private static ConfigTestResult Test(string http) =>
        ConfigTest.RunText("events {}\nhttp {\n" + http + "\n}\n", "/tmp/a.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

    [Theory]
    [InlineData("cgi_max_procs 4;")]
    [InlineData("server {\n listen 127.0.0.1:8080;\n cgi_max_procs 1;\n}")]
    [InlineData("server {\n listen 127.0.0.1:8080;\n location /cgi-bin/ { cgi on; cgi_max_procs 4096; }\n}")]
    public void CgiMaxProcs_InRange_Ok(string http)
    {
        var r = Test(http);

        Assert.True(r.Ok, string.Join("\n", r.Diagnostics));
    }

    [Fact]
    public void CgiMaxProcs_Zero_EmergWithBounds()
    {
        var r = Test("cgi_max_procs 0;");

        Assert.Equal("[emerg] value must be between 1 and 4096 in /tmp/a.conf:3", r.FirstError?.ToString());
    }

    [Fact]
    public void CgiMaxProcs_NotANumber_EmergInvalidNumber()
    {
        var r = Test("cgi_max_procs many;");

        Assert.Equal("[emerg] \"cgi_max_procs\" directive invalid number in /tmp/a.conf:3", r.FirstError?.ToString());
    }

    [Fact]
    public void CgiMaxProcs_TwoArguments_EmergArgumentCount()
    {
        var r = Test("cgi_max_procs 2 4;");

        Assert.Equal("[emerg] invalid number of arguments in \"cgi_max_procs\" directive in /tmp/a.conf:3", r.FirstError?.ToString());
    }

    [Fact]
    public void CgiMaxProcs_InMain_EmergNotAllowedHere()
    {
        var r = ConfigTest.RunText("cgi_max_procs 2;\nevents {}\nhttp {}\n", "/tmp/a.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

        Assert.Equal("[emerg] \"cgi_max_procs\" directive is not allowed here in /tmp/a.conf:1", r.FirstError?.ToString());
    }
}
