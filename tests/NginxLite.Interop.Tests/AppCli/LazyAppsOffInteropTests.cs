using System.Diagnostics;
using System.Globalization;
using System.Text;
using NginxLite.Interop.Tests.Apps;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
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

    private static TempDir Site(string ini)
    {
        var dir = new TempDir("nl-lazy-");
        dir.File("flaskcount.py", FlaskApp);
        var imports = dir.File("imports.txt", "");
        File.SetUnixFileMode(imports, (UnixFileMode)Convert.ToInt32("666", 8)); // the workers run as nobody
        dir.File("app.ini", ini);
        return dir;
    }

    private static string Get(string socket) =>
        Encoding.UTF8.GetString(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/"))));

    /// <summary>Live (non-zombie) processes whose parent is <paramref name="parent"/>, from /proc/*/stat.</summary>
    internal static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return children;
    }

    internal static bool Eventually(Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return false;
            }

            Thread.Sleep(100);
        }

        return true;
    }

    [Fact]
    public void LazyAppsOff_FlaskApp_ImportedOnce_WorkersAreForksOfTheLoader()
    {
        using var dir = Site("[uwsgi]\nmodule = flaskcount:app\nprocesses = 3\nsocket = app.sock\nlazy-apps = false\n");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);

        var loader = Assert.Single(nginxlite.Children());
        Assert.True(Eventually(() => ChildrenOf(loader).Count == 3), nginxlite.Output);
        var workers = ChildrenOf(loader);
        Assert.Equal([loader.ToString(CultureInfo.InvariantCulture)], File.ReadAllLines(Path.Combine(dir.Path, "imports.txt")));
        var answers = Enumerable.Range(0, 6).Select(_ => Get(socket)).ToList();
        Assert.All(answers, a => Assert.StartsWith("HTTP/1.1 200 OK", a));
        Assert.All(answers, a => Assert.Contains($"ppid={loader} version=1", a));
        Assert.Single(File.ReadAllLines(Path.Combine(dir.Path, "imports.txt")));
        Assert.Equal(3, workers.Count);
    }

    [Fact]
    public void LazyAppsOff_WorkerKilledWithSignal9_RespawnedAsAFork()
    {
        using var dir = Site("[uwsgi]\nmodule = flaskcount:app\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\n");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);
        var loader = Assert.Single(nginxlite.Children());
        Assert.True(Eventually(() => ChildrenOf(loader).Count == 2), nginxlite.Output);
        var before = ChildrenOf(loader);

        Process.GetProcessById(before[0]).Kill();

        Assert.True(Eventually(() => ChildrenOf(loader) is { Count: 2 } now && !now.Contains(before[0])), nginxlite.Output);
        Assert.Contains(before[1], ChildrenOf(loader));
        Assert.Contains($"died (killed by signal 9), respawning", nginxlite.Output);
        Assert.Single(File.ReadAllLines(Path.Combine(dir.Path, "imports.txt"))); // forked, not imported again
        Assert.Contains($"ppid={loader}", Get(socket));
    }

    [Fact]
    public void LazyAppsOff_TouchReload_NewLoaderWithTheNewCode()
    {
        using var dir = Site("[uwsgi]\nmodule = flaskcount:app\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\ntouch-reload = reload.txt\n");
        var trigger = dir.File("reload.txt", "");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);
        var oldLoader = Assert.Single(nginxlite.Children());
        Assert.Contains("version=1", Get(socket));

        dir.File("flaskcount.py", FlaskApp.Replace("version=1", "version=2", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(trigger, DateTime.UtcNow.AddSeconds(5));

        Assert.True(Eventually(() => nginxlite.Children() is [var l] && l != oldLoader && ChildrenOf(l).Count == 2), nginxlite.Output);
        var newLoader = Assert.Single(nginxlite.Children());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir.Path, "imports.txt")).Length);
        Assert.All(Enumerable.Range(0, 4).Select(_ => Get(socket)), a => Assert.Contains($"ppid={newLoader} version=2", a));
    }

    [Fact]
    public void WsgiPreload_GunicornFrontEnd_AppImportedOnce_WorkersAreForksOfTheLoader()
    {
        using var dir = Site("");
        var port = AppCliPeers.Port();
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite,
            ["wsgi", "--preload", "-b", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "-w", "3", "flaskcount:app"], dir.Path, port: port);

        // The listener is bound before the pool starts (docs/apps.md "The supervisor"): wait for the loader.
        Assert.True(Eventually(() => server.Children() is [var l] && ChildrenOf(l).Count == 3), server.Output);
        var loader = Assert.Single(server.Children());
        var r = Upstreams.UpstreamClient.Get(port, "/");
        Assert.Equal(200, r.Status);
        Assert.Contains($"ppid={loader} version=1", Encoding.UTF8.GetString(r.Body));
        Assert.Equal([loader.ToString(CultureInfo.InvariantCulture)], File.ReadAllLines(Path.Combine(dir.Path, "imports.txt")));
    }

    [Fact]
    public void LazyAppsOff_ImportError_EmergWithTraceback_Exit1()
    {
        using var dir = new TempDir("nl-lazy-");
        dir.File("broken.py", "import no_such_module_anywhere\napp = None\n");
        dir.File("app.ini", "[uwsgi]\nmodule = broken:app\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\n");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path);

        Assert.True(nginxlite.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, nginxlite.ExitCode);
        Assert.Contains("[emerg]", nginxlite.Output);
        Assert.Contains("failed to load (the app could not be imported, exit status 22)", nginxlite.Output);
        Assert.Contains("ModuleNotFoundError: No module named 'no_such_module_anywhere'", nginxlite.Output);
        Assert.Contains("loader (pid:", nginxlite.Output);
    }
}
