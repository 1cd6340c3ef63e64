using System.Globalization;
using System.Text;
using NginxLite.Interop.Tests.Apps;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary>
/// The site of a <c>lazy-apps = false</c> test, shared by the WSGI and the Rack one (docs/apps.md): an app file whose
/// every load appends its process's pid to a counts file and whose <c>/</c> answers <c>pid=… ppid=… version=1</c>, an
/// app.ini, and the scenarios both languages run the same way.
/// </summary>
internal sealed class LazyAppsOffSite : IDisposable
{
    private readonly string _appFile;
    private readonly string _appText;
    private readonly string _countsFile;

    public LazyAppsOffSite(string prefix, string appFile, string appText, string countsFile, string ini)
    {
        Dir = new TempDir(prefix);
        _appFile = appFile;
        _appText = appText;
        _countsFile = Dir.File(countsFile, "");
        File.SetUnixFileMode(_countsFile, (UnixFileMode)Convert.ToInt32("666", 8)); // the workers run as nobody
        Dir.File(appFile, appText);
        Dir.File("app.ini", ini);
    }

    public TempDir Dir { get; }

    public string Path => Dir.Path;

    /// <summary>The app.ini's <c>socket = app.sock</c>.</summary>
    public string Socket => System.IO.Path.Combine(Dir.Path, "app.sock");

    /// <summary>The pids that loaded the app, one line per load.</summary>
    public string[] Loads() => File.ReadAllLines(_countsFile);

    /// <summary><c>GET /</c> on the app's uwsgi socket: the raw response.</summary>
    public string Get() =>
        Encoding.UTF8.GetString(UwsgiClient.Exchange(Socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/"))));

    /// <summary>touch-reload with new code: a new loader (one more load) whose forks answer with the new version.</summary>
    public void TouchReload_NewLoaderWithTheNewCode()
    {
        var trigger = Dir.File("reload.txt", "");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], Path, socket: Socket);
        var oldLoader = Assert.Single(nginxlite.Children());
        Assert.Contains("version=1", Get());

        Dir.File(_appFile, _appText.Replace("version=1", "version=2", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(trigger, DateTime.UtcNow.AddSeconds(5));

        Assert.True(AppCliPeers.Eventually(() => nginxlite.Children() is [var l] && l != oldLoader && FrontEndProcess.ChildrenOf(l).Count == 2), nginxlite.Output);
        var newLoader = Assert.Single(nginxlite.Children());
        Assert.Equal(2, Loads().Length);
        Assert.All(Enumerable.Range(0, 4).Select(_ => Get()), a => Assert.Contains($"ppid={newLoader} version=2", a));
    }

    /// <summary>A front end's preload flag (<paramref name="args"/>, 3 workers, on <paramref name="port"/>): the app is
    /// loaded once, by the loader, and the workers are its forks.</summary>
    public void Preload_AppLoadedOnce_WorkersAreForksOfTheLoader(string[] args, int port)
    {
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite, args, Path, port: port);

        // The listener is bound before the pool starts (docs/apps.md "The supervisor"): wait for the loader.
        Assert.True(AppCliPeers.Eventually(() => server.Children() is [var l] && FrontEndProcess.ChildrenOf(l).Count == 3), server.Output);
        var loader = Assert.Single(server.Children());
        var r = UpstreamClient.Get(port, "/");
        Assert.Equal(200, r.Status);
        Assert.Contains($"ppid={loader} version=1", Encoding.UTF8.GetString(r.Body));
        Assert.Equal([loader.ToString(CultureInfo.InvariantCulture)], Loads());
    }

    /// <summary>An app that does not load with lazy_apps off: nginxlite --ini exits 1 with the [emerg], the loader's
    /// lines and <paramref name="expected"/> (the language's error) in its output.</summary>
    public static void LoadError_EmergWithTheError_Exit1(string appFile, string appText, string ini, params string[] expected)
    {
        using var dir = new TempDir("nl-lazy-");
        dir.File(appFile, appText);
        dir.File("app.ini", ini);
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path);

        Assert.True(nginxlite.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, nginxlite.ExitCode);
        Assert.Contains("[emerg]", nginxlite.Output);
        Assert.Contains("failed to load (the app could not be imported, exit status 22)", nginxlite.Output);
        foreach (var line in expected)
        {
            Assert.Contains(line, nginxlite.Output);
        }

        Assert.Contains("loader (pid:", nginxlite.Output);
    }

    public void Dispose() => Dir.Dispose();
}
