using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary>
/// <c>lazy-apps = false</c> (uWSGI's default) under <c>nginxlite --ini</c> with a Flask app: one loader imports the app,
/// the workers are its forks (docs/apps.md); kill -9 of a worker is answered by a fork, touch-reload makes a new loader
/// with the new code, an import error is the usual [emerg] with the traceback.
/// </summary>
public sealed class LazyAppsOffInteropTests
{
    /// <summary>Counts its imports in imports.txt; / answers with its pid, its parent's and the version.</summary>
    private const string FlaskApp = """
        import os
        from flask import Flask

        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "imports.txt"), "a") as f:
            f.write("%d\n" % os.getpid())

        app = Flask(__name__)

        @app.route("/")
        def index():
            return "pid=%d ppid=%d version=1" % (os.getpid(), os.getppid())
        """;

    private static LazyAppsOffSite Site(string ini) => new("nl-lazy-", "flaskcount.py", FlaskApp, "imports.txt", ini);

    [Fact]
    public void LazyAppsOff_FlaskApp_ImportedOnce_WorkersAreForksOfTheLoader()
    {
        using var site = Site("[uwsgi]\nmodule = flaskcount:app\nprocesses = 3\nsocket = app.sock\nlazy-apps = false\n");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], site.Path, socket: site.Socket);

        var loader = Assert.Single(nginxlite.Children());
        Assert.True(AppCliPeers.Eventually(() => FrontEndProcess.ChildrenOf(loader).Count == 3), nginxlite.Output);
        var workers = FrontEndProcess.ChildrenOf(loader);
        Assert.Equal([loader.ToString(CultureInfo.InvariantCulture)], site.Loads());
        var answers = Enumerable.Range(0, 6).Select(_ => site.Get()).ToList();
        Assert.All(answers, a => Assert.StartsWith("HTTP/1.1 200 OK", a));
        Assert.All(answers, a => Assert.Contains($"ppid={loader} version=1", a));
        Assert.Single(site.Loads());
        Assert.Equal(3, workers.Count);
    }

    [Fact]
    public void LazyAppsOff_WorkerKilledWithSignal9_RespawnedAsAFork()
    {
        using var site = Site("[uwsgi]\nmodule = flaskcount:app\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\n");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], site.Path, socket: site.Socket);
        var loader = Assert.Single(nginxlite.Children());
        Assert.True(AppCliPeers.Eventually(() => FrontEndProcess.ChildrenOf(loader).Count == 2), nginxlite.Output);
        var before = FrontEndProcess.ChildrenOf(loader);

        Process.GetProcessById(before[0]).Kill();

        Assert.True(AppCliPeers.Eventually(() => FrontEndProcess.ChildrenOf(loader) is { Count: 2 } now && !now.Contains(before[0])), nginxlite.Output);
        Assert.Contains(before[1], FrontEndProcess.ChildrenOf(loader));
        Assert.True(nginxlite.OutputShows($"died (killed by signal 9), respawning"), nginxlite.Output);
        Assert.Single(site.Loads()); // forked, not imported again
        Assert.Contains($"ppid={loader}", site.Get());
    }

    [Fact]
    public void LazyAppsOff_TouchReload_NewLoaderWithTheNewCode()
    {
        using var site = Site("[uwsgi]\nmodule = flaskcount:app\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\ntouch-reload = reload.txt\n");
        site.TouchReload_NewLoaderWithTheNewCode();
    }

    [Fact]
    public void WsgiPreload_GunicornFrontEnd_AppImportedOnce_WorkersAreForksOfTheLoader()
    {
        using var site = Site("");
        var port = AppCliPeers.Port();
        site.Preload_AppLoadedOnce_WorkersAreForksOfTheLoader(
            ["wsgi", "--preload", "-b", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "-w", "3", "flaskcount:app"], port);
    }

    [Fact]
    public void LazyAppsOff_ImportError_EmergWithTraceback_Exit1() =>
        LazyAppsOffSite.LoadError_EmergWithTheError_Exit1(
            "broken.py",
            "import no_such_module_anywhere\napp = None\n",
            "[uwsgi]\nmodule = broken:app\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\n",
            "ModuleNotFoundError: No module named 'no_such_module_anywhere'");
}
