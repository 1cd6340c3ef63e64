using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary><c>cgi_preload python|off</c> at -t time: an enum (nginx's <c>ngx_conf_set_enum_slot</c> wording) in http,
/// server or location.</summary>
public sealed class CgiPreloadCheckTests
{
    private static ConfigTestResult Test(string http) =>
        ConfigTest.RunText("events {}\nhttp {\n" + http + "\n}\n", "/tmp/a.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

    [Theory]
    [InlineData("cgi_preload python;")]
    [InlineData("server {\n listen 127.0.0.1:8080;\n cgi_preload off;\n}")]
    [InlineData("server {\n listen 127.0.0.1:8080;\n location /cgi-bin/ { cgi on; cgi_preload python; }\n}")]
    public void CgiPreload_PythonOrOff_Ok(string http)
    {
        var r = Test(http);

        Assert.True(r.Ok, string.Join("\n", r.Diagnostics));
    }

    [Fact]
    public void CgiPreload_OtherValue_EmergInvalidValue()
    {
        var r = Test("cgi_preload ruby;");

        Assert.Equal("[emerg] invalid value \"ruby\" in /tmp/a.conf:3", r.FirstError?.ToString());
    }

    [Fact]
    public void CgiPreload_NoArgument_EmergArgumentCount()
    {
        var r = Test("cgi_preload;");

        Assert.Equal("[emerg] invalid number of arguments in \"cgi_preload\" directive in /tmp/a.conf:3", r.FirstError?.ToString());
    }

    [Fact]
    public void CgiPreload_InMain_EmergNotAllowedHere()
    {
        var r = ConfigTest.RunText("cgi_preload python;\nevents {}\nhttp {}\n", "/tmp/a.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

        Assert.Equal("[emerg] \"cgi_preload\" directive is not allowed here in /tmp/a.conf:1", r.FirstError?.ToString());
    }
}
