using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary>app { } blocks and app_pass at -t time (issue 6): unknown app, entry point missing or given twice.</summary>
public sealed class AppBlockCheckTests
{
    private static ConfigTestResult Test(string http) =>
        ConfigTest.RunText("events {}\nhttp {\n" + http + "\n}\n", "/tmp/a.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

    [Fact]
    public void AppPass_UnknownName_EmergAtItsLine()
    {
        var r = Test("app hello { module m:app; }\nserver {\n listen 127.0.0.1:8080;\n location / { app_pass x; }\n}");

        Assert.Equal("[emerg] unknown app \"x\" in /tmp/a.conf:6", r.FirstError?.ToString());
    }

    [Fact]
    public void AppPass_KnownName_DefinedAfterTheServer_Ok()
    {
        var r = Test("server {\n listen 127.0.0.1:8080;\n location / { app_pass hello; }\n}\napp hello { module m:app; processes 2; }");

        Assert.True(r.Ok, string.Join("\n", r.Diagnostics));
    }

    [Fact]
    public void App_NoEntryPoint_Emerg()
    {
        var r = Test("app hello { chdir /tmp; }");

        Assert.Equal("[emerg] app \"hello\" needs one of \"module\", \"wsgi_file\" or \"rack\" in /tmp/a.conf:3", r.FirstError?.ToString());
    }

    [Fact]
    public void App_TwoEntryPoints_EmergAtTheSecond()
    {
        var r = Test("app hello {\n module m:app;\n rack config.ru;\n}");

        Assert.Equal("[emerg] \"rack\" directive is duplicate, app \"hello\" already has \"module\" in /tmp/a.conf:5", r.FirstError?.ToString());
    }

    [Fact]
    public void App_IniOnly_EntryPointLeftToTheIni()
    {
        var r = Test("app hello { ini /tmp/uwsgi.ini; }");

        Assert.True(r.Ok, string.Join("\n", r.Diagnostics));
    }

    [Fact]
    public void App_DuplicateName_Emerg()
    {
        var r = Test("app a { module m; }\napp a { module n; }");

        Assert.Equal("[emerg] duplicate app \"a\" in /tmp/a.conf:4", r.FirstError?.ToString());
    }

    [Fact]
    public void App_ZeroProcesses_Emerg()
    {
        var r = Test("app a { module m; processes 0; }");

        Assert.Equal("[emerg] invalid value \"0\" in \"processes\" directive, it must be 1 to 1024 in /tmp/a.conf:3", r.FirstError?.ToString());
    }
}
