using System.Diagnostics;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.DropIn;

/// <summary>
/// nginxlite as a drop-in for Debian's stock /etc/nginx (README "Migrating from nginx"): <c>-t</c> accepts the tree,
/// modules-enabled load_module lines of modules NginxLite lacks fail unless <c>--ignore-modules</c> (then one warning
/// per module), and the default site serves the same welcome page as Debian's nginx serving the same copy.
/// </summary>
public sealed class DebianNginxDropInTests
{
    [Fact]
    public void ConfigTest_StockTree_SameVerdictAsNginx()
    {
        using var dir = new TempDir();
        var tree = DebianNginxTree.CopyInto(dir.Path);
        tree.Listen(FreePort.Next());

        var nginx = CommandRun.Run(NginxFlavor.Binary, "-t", "-c", tree.MainFile);
        var lite = CommandRun.Run(NginxLiteExecutable.Find().Path, "-t", "-c", tree.MainFile);

        Assert.True(nginx.ExitCode == 0, nginx.Stderr);
        Assert.Equal(0, lite.ExitCode);
        Assert.Equal(
            $"nginxlite: the configuration file {tree.MainFile} syntax is ok\nnginxlite: configuration file {tree.MainFile} test is successful\n",
            lite.Stderr);
    }

    [Fact]
    public void ConfigTest_ModulesEnabledWithoutIgnoreModules_FailsAtLoadModule()
    {
        using var dir = new TempDir();
        var tree = DebianNginxTree.CopyInto(dir.Path);
        tree.Listen(FreePort.Next());
        tree.AddModule("http-geoip");

        var lite = CommandRun.Run(NginxLiteExecutable.Find().Path, "-t", "-c", tree.MainFile);

        Assert.Equal(1, lite.ExitCode);
        Assert.Contains(
            $"[emerg] module \"ngx_http_geoip_module\" is not available in NginxLite (load_module \"modules/ngx_http_geoip_module.so\"); " +
            $"run with --ignore-modules to go on without it in {tree.Etc}/modules-enabled/50-mod-http-geoip.conf:1",
            lite.Stderr,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigTest_ModulesEnabledWithIgnoreModules_OneWarningPerModuleAndPasses()
    {
        using var dir = new TempDir();
        var tree = DebianNginxTree.CopyInto(dir.Path);
        tree.Listen(FreePort.Next());
        tree.AddModule("http-geoip");
        tree.AddModule("stream");

        var lite = CommandRun.Run(NginxLiteExecutable.Find().Path, "-t", "--ignore-modules", "-c", tree.MainFile);

        Assert.Equal(0, lite.ExitCode);
        var warnings = lite.Stderr.Split('\n').Where(l => l.Contains("[warn]", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.Contains("module \"ngx_http_geoip_module\" is not available in NginxLite", warnings[0], StringComparison.Ordinal);
        Assert.Contains("module \"ngx_stream_module\" is not available in NginxLite", warnings[1], StringComparison.Ordinal);
        Assert.EndsWith($"configuration file {tree.MainFile} test is successful\n", lite.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_StockTree_SameWelcomePageAndNotFoundAsNginx()
    {
        using var nginxDir = new TempDir();
        using var liteDir = new TempDir();
        var nginxTree = DebianNginxTree.CopyInto(nginxDir.Path);
        var liteTree = DebianNginxTree.CopyInto(liteDir.Path);
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, nginxDir.Path + "/", nginxTree.Listen);
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, liteDir.Path + "/", liteTree.Listen);

        var expected = Get(nginx.Port, "/");
        var actual = Get(lite.Port, "/");
        Assert.Equal(200, expected.Status);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Header("Content-Type"), actual.Header("Content-Type"));
        Assert.Contains("<title>Welcome to nginx!</title>", Encoding.UTF8.GetString(actual.Body), StringComparison.Ordinal);
        Assert.Equal(expected.Body, actual.Body);

        Assert.Equal(404, Get(nginx.Port, "/no-such-page").Status);
        Assert.Equal(404, Get(lite.Port, "/no-such-page").Status);

        // The access_log of nginx.conf (rewritten into the copy) got the requests.
        Assert.Contains("GET / HTTP/1.1", File.ReadAllText(Path.Combine(liteDir.Path, "logs", "access.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ModulesEnabledWithIgnoreModules_ServesWelcomePage()
    {
        using var dir = new TempDir();
        var tree = DebianNginxTree.CopyInto(dir.Path);
        var port = FreePort.Next();
        tree.Listen(port);
        tree.AddModule("http-image-filter");

        var psi = new ProcessStartInfo(NginxLiteExecutable.Find().Path, ["--ignore-modules", "-p", dir.Path + "/", "-c", tree.MainFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            RawResponse? response = null;
            Assert.True(
                Lifecycle.ProcessInterfaceSupport.Eventually(() => (response = Get(port, "/")).Status == 200),
                $"no 200 from nginxlite --ignore-modules on {port}: {response?.Dump()}\n{stderr}");
            Assert.Contains("Welcome to nginx!", Encoding.UTF8.GetString(response!.Body), StringComparison.Ordinal);
            lock (stderr)
            {
                Assert.Contains("[warn] load_module \"modules/ngx_http_image_filter_module.so\" ignored", stderr.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                PosixSignal.Send(process.Id, PosixSignal.Quit);
                if (!process.WaitForExit(ServerProcess.StopTimeout))
                {
                    process.Kill();
                }
            }
        }
    }

    private static RawResponse Get(int port, string path) =>
        RawHttpClient.Send(port, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(5));
}
