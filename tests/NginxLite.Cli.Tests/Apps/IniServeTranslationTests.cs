using NginxLite.Cli.Apps;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.TestSupport;
using Snapshooter.Xunit;
using Xunit;

namespace NginxLite.Cli.Tests.Apps;

/// <summary><c>nginxlite --ini</c>: the migration's translation made runnable from the start directory.</summary>
public sealed class IniServeTranslationTests
{
    private const string Start = "/srv/start";

    private static void AssertValid(GeneratedConfig generated)
    {
        Assert.NotNull(generated.Text);
        var test = ConfigTest.RunText(generated.Text, generated.Origin + ".conf", new LoadOptions(), new BindOptions { Prefix = Start + "/", CheckEnvironment = false });
        Assert.True(test.Ok, string.Join('\n', test.Diagnostics) + "\n" + generated.Text);
    }

    [Fact]
    public void Translate_SeedUwsgiIni_SocketInStartDirectorySnapshot()
    {
        var generated = IniServeTranslation.Translate(Path.Combine(RepoPaths.Seed, "uwsgi.ini"), false, Start, 4242);

        AssertValid(generated);
        Assert.Contains("socket /srv/start/app.sock;", generated.Text);
        Assert.Contains("chdir /srv/start;", generated.Text);
        Snapshot.Match(generated.Text!.Replace(RepoPaths.Seed, "<seed>", StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_HttpSocketStaticMapChdirAndLogs_PathsAsUwsgiResolvesThem()
    {
        using var dir = new TempDir();
        var ini = dir.File("site.ini", """
            [uwsgi]
            chdir = app
            wsgi-file = wsgi.py
            pythonpath = lib
            http-socket = 127.0.0.1:8080
            static-map = /static=public
            logto = log/uwsgi.log
            pidfile = run/uwsgi.pid
            uid = www-data
            gid = www-data
            touch-reload = reload.txt
            stats = 127.0.0.1:9191
            """);

        var generated = IniServeTranslation.Translate(ini, false, Start, 4242);

        AssertValid(generated);
        Assert.Equal(["/srv/start/reload.txt"], generated.TouchReload);
        Assert.Equal("127.0.0.1:9191", generated.Stats);
        Snapshot.Match(generated.Text!.Replace(dir.Path, "<inidir>", StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_NoSocketNorHttp_UwsgisStartUpError()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = myapp:app\nprocesses = 2\n");

        var generated = IniServeTranslation.Translate(ini, false, Start, 1);

        Assert.Null(generated.Text);
        Assert.Equal("[emerg] The -s/--socket option is missing and stdin is not a socket.", Assert.Single(generated.Diagnostics).ToString());
    }

    [Fact]
    public void Translate_FileColonSection_ReadsThatSection()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = one:app\nsocket = one.sock\n\n[staging]\nmodule = two:app\nsocket = two.sock\n");

        var generated = IniServeTranslation.Translate(ini + ":staging", false, Start, 1);

        Assert.Contains("module two:app;", generated.Text);
        Assert.Contains("socket /srv/start/two.sock;", generated.Text);
        Assert.DoesNotContain("one", generated.Text);
    }

    [Fact]
    public void Translate_UnsupportedOption_ErrorsAsDashT()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nsocket = a.sock\nspooler = /var/spool\n");

        var generated = IniServeTranslation.Translate(ini, false, Start, 1);

        Assert.Null(generated.Text);
        Assert.Contains(generated.Diagnostics, d => d.IsError && d.Message.StartsWith("uWSGI option \"spooler\" is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_IniWithoutSocket_Exit1()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = myapp:app\n");
        var stderr = new StringWriter();

        var rc = CommandLine.Run(["--ini", ini], TextWriter.Null, stderr);

        Assert.Equal(1, rc);
        Assert.Equal("nginxlite: [emerg] The -s/--socket option is missing and stdin is not a socket.\n", stderr.ToString());
    }
}
