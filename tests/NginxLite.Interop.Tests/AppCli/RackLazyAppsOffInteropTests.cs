using System.Diagnostics;
using System.Globalization;
using System.Text;
using NginxLite.Interop.Tests.Apps;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary>
/// <c>lazy-apps = false</c> for a Rack app under <c>nginxlite --ini</c> (uWSGI's rack plugin honours lazy-apps too):
/// one loader parses config.ru, the workers are its forks (docs/apps.md); behind a real nginx <c>uwsgi_pass</c> the
/// Rack differential requests get the same responses as under lazy workers; kill -9 of a worker is answered by a fork,
/// touch-reload makes a new loader with the new code, a config.ru that does not load is the [emerg] with the backtrace.
/// </summary>
public sealed class RackLazyAppsOffInteropTests
{
    /// <summary>Counts its loads in loads.txt; / answers with its pid, its parent's and the version.</summary>
    private const string CountingRackup = """
        File.open(File.join(__dir__, 'loads.txt'), 'a') { |f| f.puts Process.pid }
        run ->(env) { [200, { 'Content-Type' => 'text/plain' }, ["pid=#{Process.pid} ppid=#{Process.ppid} version=1"]] }
        """;

    private static TempDir Site(string ini)
    {
        var dir = new TempDir("nl-rack-lazy-");
        dir.File("config.ru", CountingRackup);
        var loads = dir.File("loads.txt", "");
        File.SetUnixFileMode(loads, (UnixFileMode)Convert.ToInt32("666", 8)); // the workers run as nobody
        dir.File("app.ini", ini);
        return dir;
    }

    private static string[] Loads(TempDir dir) => File.ReadAllLines(Path.Combine(dir.Path, "loads.txt"));

    private static string Get(string socket) =>
        Encoding.UTF8.GetString(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/"))));

    private static List<int> ChildrenOf(int parent) => LazyAppsOffInteropTests.ChildrenOf(parent);

    private static bool Eventually(Func<bool> done) => LazyAppsOffInteropTests.Eventually(done);

    [Theory]
    [InlineData("seed")]
    [InlineData("plain")]
    public void RackLazyAppsOff_BehindNginx_SameResponsesAsLazyWorkers(string which)
    {
        var rackup = which == "seed" ? Path.Combine(RepoPaths.Seed, "config.ru") : ShimPaths.TestApp("rack_plain.ru");
        using var dir = new TempDir("nl-rack-lazy-diff-");
        string Ini(string lazy) =>
            $"[uwsgi]\nrack = {rackup}\nchdir = {Path.GetDirectoryName(rackup)}\nprocesses = 2\nsocket = {lazy}.sock\nlazy-apps = {lazy}\n";
        dir.File("false.ini", Ini("false"));
        dir.File("true.ini", Ini("true"));
        var forkedSocket = Path.Combine(dir.Path, "false.sock");
        var lazySocket = Path.Combine(dir.Path, "true.sock");
        using var forked = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "false.ini"], dir.Path, socket: forkedSocket);
        using var lazy = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "true.ini"], dir.Path, socket: lazySocket);
        using var forkedFront = new NginxUwsgiFront(dir, forkedSocket, "nginx-forked");
        using var lazyFront = new NginxUwsgiFront(dir, lazySocket, "nginx-lazy");

        // lazy_apps off: nginxlite's one child is the loader, the two workers are the loader's.
        var loader = Assert.Single(forked.Children());
        Assert.True(Eventually(() => ChildrenOf(loader).Count == 2), forked.Output);
        Assert.Equal(2, lazy.Children().Count); // lazy: the two workers are nginxlite's own children
        Assert.All(lazy.Children(), w => Assert.Empty(ChildrenOf(w)));

        RackRequestTable.AssertSame(forkedFront.Port, "lazy_apps off", lazyFront.Port, "lazy_apps on");
        Assert.Equal(2, ChildrenOf(loader).Count); // the same two forks served the whole table
    }

    [Fact]
    public void RackLazyAppsOff_ConfigRuLoadedOnce_WorkerKilledWithSignal9_RespawnedAsAFork()
    {
        using var dir = Site("[uwsgi]\nrack = config.ru\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\n");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);
        var loader = Assert.Single(nginxlite.Children());
        Assert.True(Eventually(() => ChildrenOf(loader).Count == 2), nginxlite.Output);
        Assert.Equal([loader.ToString(CultureInfo.InvariantCulture)], Loads(dir));
        Assert.All(Enumerable.Range(0, 4).Select(_ => Get(socket)), a => Assert.Contains($"ppid={loader} version=1", a));
        var before = ChildrenOf(loader);

        Process.GetProcessById(before[0]).Kill();

        Assert.True(Eventually(() => ChildrenOf(loader) is { Count: 2 } now && !now.Contains(before[0])), nginxlite.Output);
        Assert.Contains(before[1], ChildrenOf(loader));
        Assert.Contains($"(pid: {before[0]}) died (killed by signal 9), respawning", nginxlite.Output);
        Assert.Single(Loads(dir)); // forked, not loaded again
        Assert.Contains($"ppid={loader} version=1", Get(socket));
    }

    [Fact]
    public void RackLazyAppsOff_TouchReload_NewLoaderWithTheNewCode()
    {
        using var dir = Site("[uwsgi]\nrack = config.ru\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\ntouch-reload = reload.txt\n");
        var trigger = dir.File("reload.txt", "");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path, socket: socket);
        var oldLoader = Assert.Single(nginxlite.Children());
        Assert.Contains("version=1", Get(socket));

        dir.File("config.ru", CountingRackup.Replace("version=1", "version=2", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(trigger, DateTime.UtcNow.AddSeconds(5));

        Assert.True(Eventually(() => nginxlite.Children() is [var l] && l != oldLoader && ChildrenOf(l).Count == 2), nginxlite.Output);
        var newLoader = Assert.Single(nginxlite.Children());
        Assert.Equal(2, Loads(dir).Length);
        Assert.All(Enumerable.Range(0, 4).Select(_ => Get(socket)), a => Assert.Contains($"ppid={newLoader} version=2", a));
    }

    [Fact]
    public void RackPreload_RackFrontEnd_ConfigRuLoadedOnce_WorkersAreForksOfTheLoader()
    {
        using var dir = Site("");
        var port = AppCliPeers.Port();
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite,
            ["rack", "--preload", "-o", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-w", "3"], dir.Path, port: port);

        // The listener is bound before the pool starts (docs/apps.md "The supervisor"): wait for the loader.
        Assert.True(Eventually(() => server.Children() is [var l] && ChildrenOf(l).Count == 3), server.Output);
        var loader = Assert.Single(server.Children());
        var r = UpstreamClient.Get(port, "/");
        Assert.Equal(200, r.Status);
        Assert.Contains($"ppid={loader} version=1", Encoding.UTF8.GetString(r.Body));
        Assert.Equal([loader.ToString(CultureInfo.InvariantCulture)], Loads(dir));
    }

    [Fact]
    public void RackLazyAppsOff_LoadError_EmergWithTheRubyBacktrace_Exit1()
    {
        using var dir = new TempDir("nl-rack-lazy-");
        dir.File("config.ru", "require 'no_such_gem_anywhere'\nrun ->(env) { [200, {}, []] }\n");
        dir.File("app.ini", "[uwsgi]\nrack = config.ru\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\n");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path);

        Assert.True(nginxlite.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, nginxlite.ExitCode);
        Assert.Contains("[emerg]", nginxlite.Output);
        Assert.Contains("failed to load (the app could not be imported, exit status 22)", nginxlite.Output);
        Assert.Contains("LoadError: cannot load such file -- no_such_gem_anywhere", nginxlite.Output);
        Assert.Contains("config.ru:1:in ", nginxlite.Output); // the backtrace names config.ru's line
        Assert.Contains("loader (pid:", nginxlite.Output);
    }
}
