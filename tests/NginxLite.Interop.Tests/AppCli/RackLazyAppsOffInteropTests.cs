using System.Diagnostics;
using System.Globalization;
using NginxLite.Interop.Tests.Apps;
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

    private static LazyAppsOffSite Site(string ini) => new("nl-rack-lazy-", "config.ru", CountingRackup, "loads.txt", ini);

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
        Assert.True(AppCliPeers.Eventually(() => FrontEndProcess.ChildrenOf(loader).Count == 2), forked.Output);
        Assert.Equal(2, lazy.Children().Count); // lazy: the two workers are nginxlite's own children
        Assert.All(lazy.Children(), w => Assert.Empty(FrontEndProcess.ChildrenOf(w)));

        RackRequestTable.AssertSame(forkedFront.Port, "lazy_apps off", lazyFront.Port, "lazy_apps on");
        Assert.Equal(2, FrontEndProcess.ChildrenOf(loader).Count); // the same two forks served the whole table
    }

    [Fact]
    public void RackLazyAppsOff_ConfigRuLoadedOnce_WorkerKilledWithSignal9_RespawnedAsAFork()
    {
        using var site = Site("[uwsgi]\nrack = config.ru\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\n");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], site.Path, socket: site.Socket);
        var loader = Assert.Single(nginxlite.Children());
        Assert.True(AppCliPeers.Eventually(() => FrontEndProcess.ChildrenOf(loader).Count == 2), nginxlite.Output);
        Assert.Equal([loader.ToString(CultureInfo.InvariantCulture)], site.Loads());
        Assert.All(Enumerable.Range(0, 4).Select(_ => site.Get()), a => Assert.Contains($"ppid={loader} version=1", a));
        var before = FrontEndProcess.ChildrenOf(loader);

        Process.GetProcessById(before[0]).Kill();

        Assert.True(AppCliPeers.Eventually(() => FrontEndProcess.ChildrenOf(loader) is { Count: 2 } now && !now.Contains(before[0])), nginxlite.Output);
        Assert.Contains(before[1], FrontEndProcess.ChildrenOf(loader));
        Assert.True(nginxlite.OutputShows($"(pid: {before[0]}) died (killed by signal 9), respawning"), nginxlite.Output);
        Assert.Single(site.Loads()); // forked, not loaded again
        Assert.Contains($"ppid={loader} version=1", site.Get());
    }

    [Fact]
    public void RackLazyAppsOff_TouchReload_NewLoaderWithTheNewCode()
    {
        using var site = Site("[uwsgi]\nrack = config.ru\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\ntouch-reload = reload.txt\n");
        site.TouchReload_NewLoaderWithTheNewCode();
    }

    [Fact]
    public void RackPreload_RackFrontEnd_ConfigRuLoadedOnce_WorkersAreForksOfTheLoader()
    {
        using var site = Site("");
        var port = AppCliPeers.Port();
        site.Preload_AppLoadedOnce_WorkersAreForksOfTheLoader(
            ["rack", "--preload", "-o", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-w", "3"], port);
    }

    [Fact]
    public void RackLazyAppsOff_LoadError_EmergWithTheRubyBacktrace_Exit1() =>
        LazyAppsOffSite.LoadError_EmergWithTheError_Exit1(
            "config.ru",
            "require 'no_such_gem_anywhere'\nrun ->(env) { [200, {}, []] }\n",
            "[uwsgi]\nrack = config.ru\nprocesses = 2\nsocket = app.sock\nlazy-apps = false\n",
            "LoadError: cannot load such file -- no_such_gem_anywhere",
            "config.ru:1:in "); // the backtrace names config.ru's line
}
