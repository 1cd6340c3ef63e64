using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>The worker contract's start-up, exit statuses and signals (docs/app-shims.md), one shim process per test.</summary>
public sealed class WsgiShimLifecycleTests
{
    private static readonly string AppsDir = Path.GetDirectoryName(ShimPaths.TestApp("wsgi_test_app.py"))!;

    private static bool Connects(string socket)
    {
        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting for " + what);
            Thread.Sleep(20);
        }
    }

    [Fact]
    public async Task WsgiShim_SigtermDuringRequest_RequestCompletesAndExitZero()
    {
        using var dir = new TempDir("nginxlite-wsgi-term-");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var shim = ShimProcess.StartWsgi(socket, dir.Path, "--chdir", AppsDir, "--module", "wsgi_test_app", "--threads", "2");
        var flag = Path.Combine(dir.Path, "hold");
        var inFlight = Task.Run(() => UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/hold", flag))));
        WaitFor(() => File.Exists(flag + ".started"), "the request to reach the app");

        shim.Signal(PosixSignal.Term);
        // Graceful: no new connections once the signal is handled, while the held request is still in the app.
        WaitFor(() => !Connects(socket), "the listener to close");
        Assert.False(shim.HasExited);
        File.WriteAllText(flag + ".release", "");

        var (head, body) = UwsgiClient.Split(await inFlight);
        Assert.StartsWith("HTTP/1.1 200 OK", head);
        Assert.Equal("held and released\n", Encoding.ASCII.GetString(body));
        Assert.True(shim.WaitForExit(TimeSpan.FromSeconds(20)), "the shim did not exit after SIGTERM");
        Assert.Equal(0, shim.ExitCode);
        Assert.True(File.Exists(socket), "the shim must not unlink the socket (the supervisor owns it)");
    }

    [Fact]
    public void WsgiShim_Sighup_IgnoredAndStillServing()
    {
        using var dir = new TempDir("nginxlite-wsgi-hup-");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var shim = ShimProcess.StartWsgi(socket, dir.Path, "--chdir", AppsDir, "--module", "wsgi_test_app");
        shim.Signal(PosixSignal.Hup);
        Assert.StartsWith("HTTP/1.1 200 OK", Encoding.Latin1.GetString(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/cookies")))));
        Assert.False(shim.HasExited);
    }

    [Theory]
    [InlineData("--module", "wsgi_broken_app", "broken-app-marker")]
    [InlineData("--module", "wsgi_test_app:no_such_callable", "no_such_callable")]
    [InlineData("--wsgi-file", "does_not_exist.py", "does_not_exist.py")]
    public void WsgiShim_AppFailsToLoad_Exit22WithTracebackAndNoReady(string option, string target, string marker)
    {
        using var dir = new TempDir("nginxlite-wsgi-load-");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var shim = ShimProcess.Launch(ShimPaths.Python, ShimPaths.Wsgi, socket, ["--chdir", AppsDir, option, target], dir.Path);
        Assert.True(shim.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(22, shim.ExitCode);
        Assert.Contains("Traceback (most recent call last):", shim.Stderr);
        Assert.Contains(marker, shim.Stderr);
        Assert.DoesNotContain(ShimProcess.ReadyLine, shim.Stdout);
        Assert.False(File.Exists(socket));
    }

    [Theory]
    [InlineData("--module")]                                   // missing value
    [InlineData("--module", "x", "--threads", "0")]
    [InlineData("--module", "x", "--socket-mode", "9z")]
    public void WsgiShim_BadArguments_Exit1(params string[] args)
    {
        using var dir = new TempDir("nginxlite-wsgi-args-");
        using var shim = ShimProcess.Launch(ShimPaths.Python, ShimPaths.Wsgi, Path.Combine(dir.Path, "app.sock"), args, dir.Path);
        Assert.True(shim.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, shim.ExitCode);
        Assert.DoesNotContain(ShimProcess.ReadyLine, shim.Stdout);
    }

    [Fact]
    public void WsgiShim_SocketPathIsADirectory_Exit1()
    {
        using var dir = new TempDir("nginxlite-wsgi-bind-");
        var socket = dir.Dir("app.sock");
        using var shim = ShimProcess.Launch(ShimPaths.Python, ShimPaths.Wsgi, socket, ["--chdir", AppsDir, "--module", "wsgi_test_app"], dir.Path);
        Assert.True(shim.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, shim.ExitCode);
        Assert.Contains("cannot listen on", shim.Stderr);
    }

    [Theory]
    [InlineData(null, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite)]
    [InlineData("0600", UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData("666", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)]
    public void WsgiShim_SocketMode_AppliedToSocketFile(string? mode, UnixFileMode expected)
    {
        using var dir = new TempDir("nginxlite-wsgi-mode-");
        var socket = Path.Combine(dir.Path, "app.sock");
        string[] args = mode is null ? ["--chdir", AppsDir, "--module", "wsgi_test_app"] : ["--chdir", AppsDir, "--module", "wsgi_test_app", "--socket-mode", mode];
        using var shim = ShimProcess.StartWsgi(socket, dir.Path, args);
        Assert.Equal(expected, File.GetUnixFileMode(socket));
    }

    [Fact]
    public void WsgiShim_StaleFileAtSocketPath_ReplacedAndServing()
    {
        using var dir = new TempDir("nginxlite-wsgi-stale-");
        var socket = dir.File("app.sock", "left over from a crashed worker");
        using var shim = ShimProcess.StartWsgi(socket, dir.Path, "--chdir", AppsDir, "--module", "wsgi_test_app");
        Assert.StartsWith("HTTP/1.1 200 OK", Encoding.Latin1.GetString(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/cookies")))));
    }

    [Fact]
    public void WsgiShim_WsgiFileWithCallable_ServesSeedApp()
    {
        using var dir = new TempDir("nginxlite-wsgi-file-");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var shim = ShimProcess.StartWsgi(socket, dir.Path, "--wsgi-file", Path.Combine(RepoPaths.Seed, "simple_app.py"), "--callable", "simple_app");
        var (head, body) = UwsgiClient.Split(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/"))));
        Assert.StartsWith("HTTP/1.1 200 OK", head);
        Assert.Equal("Hello, WSGI!", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void WsgiShim_SeveralMounts_LongestPrefixWins()
    {
        using var dir = new TempDir("nginxlite-wsgi-mounts-");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var shim = ShimProcess.StartWsgi(socket, dir.Path, "--chdir", AppsDir,
            "--mount", "/a=wsgi_test_app:unchecked", "--mount", "/a/b=" + Path.Combine(RepoPaths.Seed, "request_flow.py"));
        string Get(string path) => Encoding.ASCII.GetString(UwsgiClient.Split(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", path)))).Body);
        Assert.Equal("Hello, World!", Get("/a/b/"));               // request_flow sees PATH_INFO "/"
        Assert.Contains("SCRIPT_NAME=/a\nPATH_INFO=/env\n", Get("/a/env"));
        Assert.Equal("no route /bc/env\n", Get("/a/bc/env")); // /a/b is a prefix only at a '/' boundary: /a gets /bc/env
        Assert.StartsWith("HTTP/1.1 500", Encoding.Latin1.GetString(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/other")))));
    }

    [Fact]
    public void WsgiShim_PythonPath_ModuleFoundWithoutChdir()
    {
        using var dir = new TempDir("nginxlite-wsgi-pythonpath-");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var shim = ShimProcess.StartWsgi(socket, dir.Path, "--pythonpath", RepoPaths.Seed, "--module", "myapp:app");
        Assert.Equal("Hello, Development!", Encoding.ASCII.GetString(UwsgiClient.Split(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/")))).Body));
    }

    [Fact]
    public void WsgiShim_ChdirMissing_Exit1()
    {
        using var dir = new TempDir("nginxlite-wsgi-chdir-");
        using var shim = ShimProcess.Launch(ShimPaths.Python, ShimPaths.Wsgi, Path.Combine(dir.Path, "app.sock"),
            ["--chdir", Path.Combine(dir.Path, "missing"), "--module", "myapp:app"], dir.Path);
        Assert.True(shim.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, shim.ExitCode);
        Assert.Contains("chdir", shim.Stderr);
    }
}
