using NginxLite.Cli.Apps;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.TestSupport;
using Snapshooter.Xunit;
using Xunit;

namespace NginxLite.Cli.Tests.Apps;

/// <summary>What <c>nginxlite wsgi</c>/<c>rack</c> serve: the generated config (snapshots), checked by the validator.</summary>
public sealed class AppRunTranslationTests
{
    private const string Start = "/srv/start";
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    private static GeneratedConfig Translate(AppFrontEnd frontEnd, string start, params string[] args)
    {
        var settings = AppArgumentParser.Parse(args, frontEnd, out var error);
        Assert.Null(error);
        return AppRunTranslation.Translate(settings!, frontEnd, start, 4242, NoEnvironment);
    }

    private static void AssertValid(GeneratedConfig generated)
    {
        Assert.NotNull(generated.Text);
        var test = ConfigTest.RunText(generated.Text, generated.Origin + ".conf", new LoadOptions(), new BindOptions { Prefix = Start + "/", CheckEnvironment = false });
        Assert.True(test.Ok, string.Join('\n', test.Diagnostics) + "\n" + generated.Text);
    }

    [Fact]
    public void Translate_SeedGunicornSh_AppBlockAndServerSnapshot()
    {
        var generated = Translate(AppFrontEnd.Wsgi, Start, "--workers", "4", "--bind", "0.0.0.0:8000", "myapp:app");

        AssertValid(generated);
        Assert.Empty(generated.Diagnostics);
        Snapshot.Match(generated.Text);
    }

    [Fact]
    public void Translate_SeedGunicornConfPyWithBindOnCommandLine_CommandLineWins()
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(RepoPaths.Seed, "gunicorn.conf.py"), Path.Combine(dir.Path, "gunicorn.conf.py"));

        var generated = Translate(AppFrontEnd.Wsgi, dir.Path, "-c", "gunicorn.conf.py", "--bind", "127.0.0.1:18000", "myapp:app");

        AssertValid(generated);
        Assert.Contains("listen 127.0.0.1:18000;", generated.Text);
        Assert.DoesNotContain("0.0.0.0:8000", generated.Text);
        Assert.Contains("processes 4;", generated.Text);
        Assert.Contains("threads 2;", generated.Text);
    }

    [Fact]
    public void Translate_GunicornConfPyInStartDirectory_ReadWithoutDashC()
    {
        using var dir = new TempDir();
        dir.File("gunicorn.conf.py", "workers = 3\n");

        var generated = Translate(AppFrontEnd.Wsgi, dir.Path, "myapp:app");

        Assert.Contains("processes 3;", generated.Text);
    }

    [Fact]
    public void Translate_EveryMappedOption_Snapshot()
    {
        var generated = Translate(
            AppFrontEnd.Wsgi,
            Start,
            "-b", "127.0.0.1:8001", "-b", "unix:run/app.sock", "-w", "2", "--threads", "8", "--chdir", "site", "--pythonpath", "lib,/opt/lib",
            "-e", "DJANGO_SETTINGS_MODULE=shop.settings", "-t", "60", "--max-requests", "500", "-u", "www-data", "-g", "www-data", "--backlog", "64",
            "--access-logfile", "-", "--error-logfile", "log/error.log", "--pid", "run/app.pid", "-n", "shop", "--no-import-guard", "shop.wsgi:application");

        AssertValid(generated);
        Snapshot.Match(generated.Text);
    }

    [Fact]
    public void Translate_RackConfigRu_Snapshot()
    {
        var generated = Translate(AppFrontEnd.Rack, Start, "-p", "9393", "-o", "127.0.0.1", "-w", "2", "config.ru");

        AssertValid(generated);
        Snapshot.Match(generated.Text);
    }

    [Fact]
    public void Translate_RackPreload_LazyAppsOff()
    {
        var generated = Translate(AppFrontEnd.Rack, Start, "--preload", "-w", "4", "config.ru");

        AssertValid(generated);
        Assert.Contains("lazy_apps off;", generated.Text);
        Assert.DoesNotContain("lazy_apps", Translate(AppFrontEnd.Rack, Start, "-w", "4", "config.ru").Text);
    }

    [Fact]
    public void Translate_WsgiPreload_LazyAppsOff()
    {
        var generated = Translate(AppFrontEnd.Wsgi, Start, "--preload", "-w", "4", "myapp:app");

        AssertValid(generated);
        Assert.Contains("lazy_apps off;", generated.Text);
        Assert.DoesNotContain("lazy_apps", Translate(AppFrontEnd.Wsgi, Start, "-w", "4", "myapp:app").Text);
    }

    [Fact]
    public void Translate_NoAppModule_GunicornsError()
    {
        var generated = Translate(AppFrontEnd.Wsgi, Start, "-w", "2");

        Assert.Null(generated.Text);
        Assert.Equal("[emerg] Error: No application module specified.", Assert.Single(generated.Diagnostics).ToString());
    }

    [Theory]
    [InlineData("gevent")]
    [InlineData("uvicorn.workers.UvicornWorker")]
    public void Translate_AsyncWorkerClass_ClearError(string workerClass)
    {
        var generated = Translate(AppFrontEnd.Wsgi, Start, "-k", workerClass, "myapp:app");

        Assert.Null(generated.Text);
        Assert.Equal($"[emerg] worker_class \"{workerClass}\" is not supported: NginxLite workers are \"sync\" (one request at a time) or \"gthread\" (--threads N)", Assert.Single(generated.Diagnostics).ToString());
    }

    [Fact]
    public void Translate_Reload_WatchesTheModuleFile()
    {
        var generated = Translate(AppFrontEnd.Wsgi, Start, "--reload", "pkg.app:application");

        Assert.Equal(["/srv/start/pkg/app.py"], generated.TouchReload);
    }

    [Fact]
    public void Translate_WebConcurrency_DefaultWorkers()
    {
        var settings = AppArgumentParser.Parse(["myapp:app"], AppFrontEnd.Wsgi, out _)!;

        var generated = AppRunTranslation.Translate(settings, AppFrontEnd.Wsgi, Start, 1, new Dictionary<string, string?> { ["WEB_CONCURRENCY"] = "3" });

        Assert.Contains("processes 3;", generated.Text);
    }
}
