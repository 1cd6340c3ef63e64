using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary>
/// <c>nginxlite --ini uwsgi.ini</c> with the seed uwsgi.ini as it is (module = myapp:app, processes = 4,
/// socket = app.sock, chmod-socket = 660, vacuum, die-on-term), started in a temp dir holding a copy of myapp.py,
/// behind a real nginx <c>uwsgi_pass</c>; and the same ini under real uWSGI through the same nginx.
/// </summary>
public sealed class IniFrontEndTests
{
    [Fact]
    public void SeedUwsgiIni_BehindRealNginx_ServesMyappWithFourWorkersMode0660AndVacuumOnTerm()
    {
        using var dir = new TempDir("nl-ini-");
        AppCliPeers.CopySeed(dir, "uwsgi.ini", "myapp.py");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "uwsgi.ini"], dir.Path, socket: socket);
        using var nginx = AppCliPeers.NginxInFront(dir.Dir("nginx"), socket);

        var response = UpstreamClient.Get(nginx.Port, "/");
        var mode = File.GetUnixFileMode(socket);
        var workers = nginxlite.Children();

        Assert.Equal(200, response.Status);
        Assert.Equal("Hello, Development!", System.Text.Encoding.UTF8.GetString(response.Body));
        Assert.Equal("text/plain", response.Header("Content-Type"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
        Assert.Equal(4, workers.Count);
        Assert.True(nginxlite.Stop(PosixSignal.Term, TimeSpan.FromSeconds(15)), nginxlite.Output);
        Assert.Equal(0, nginxlite.ExitCode);
        Assert.False(File.Exists(socket), "vacuum: app.sock is removed on exit");
        Assert.All(workers, pid => Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"worker {pid} outlived the master"));
    }

    [Fact]
    public void IniFileColonSection_ServesThatSectionsApp()
    {
        using var dir = new TempDir("nl-ini-");
        AppCliPeers.CopySeed(dir, "myapp.py", "simple_app.py");
        dir.File("multi.ini", "[uwsgi]\nmodule = myapp:app\nsocket = a.sock\n\n[simple]\nmodule = simple_app:simple_app\nsocket = b.sock\nprocesses = 2\n");
        var socket = Path.Combine(dir.Path, "b.sock");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "multi.ini:simple"], dir.Path, socket: socket);
        using var nginx = AppCliPeers.NginxInFront(dir.Dir("nginx"), socket);

        var response = UpstreamClient.Get(nginx.Port, "/");

        Assert.Equal("Hello, WSGI!", System.Text.Encoding.UTF8.GetString(response.Body));
        Assert.False(File.Exists(Path.Combine(dir.Path, "a.sock")));
        Assert.Equal(2, nginxlite.Children().Count);
    }

    [Fact]
    public void IniWithoutSocket_UwsgisErrorExit1()
    {
        using var dir = new TempDir("nl-ini-");
        dir.File("app.ini", "[uwsgi]\nmodule = myapp:app\nprocesses = 2\n");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "app.ini"], dir.Path);

        Assert.True(nginxlite.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, nginxlite.ExitCode);
        Assert.Contains("The -s/--socket option is missing and stdin is not a socket.", nginxlite.Output);
    }

    [Fact]
    public void SeedUwsgiIni_UnderRealUwsgiAndNginxLite_SameResponsesThroughSameNginx()
    {
        // Each server in its own copy of the seed files (uwsgi.ini names a relative app.sock), both behind one nginx.
        using var uwsgiDir = new TempDir("nl-ini-uwsgi-");
        using var oursDir = new TempDir("nl-ini-ours-");
        AppCliPeers.CopySeed(uwsgiDir, "uwsgi.ini", "myapp.py");
        AppCliPeers.CopySeed(oursDir, "uwsgi.ini", "myapp.py");
        var uwsgiSocket = Path.Combine(uwsgiDir.Path, "app.sock");
        var oursSocket = Path.Combine(oursDir.Path, "app.sock");
        using var uwsgi = FrontEndProcess.Start(AppCliPeers.Uwsgi, ["--plugin", "python3", "--ini", "uwsgi.ini"], uwsgiDir.Path, socket: uwsgiSocket, stopSignal: AppCliPeers.SigInt);
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "uwsgi.ini"], oursDir.Path, socket: oursSocket);
        using var nginx = AppCliPeers.NginxInFront(oursDir.Dir("nginx"), [uwsgiSocket, oursSocket], out var oursPort);
        string[] requests = ["/", "/some/path?q=1"];
        List<string> Responses(int port) =>
            [.. requests.Select(r => UpstreamClient.Get(port, r)).Select(r => $"{r.Status} {r.Header("Content-Type")} {System.Text.Encoding.UTF8.GetString(r.Body)}")];

        var real = Responses(nginx.Port);
        var ours = Responses(oursPort[0]);

        Assert.Equal(real, ours);
        Assert.Equal("200 text/plain Hello, Development!", ours[0]);
    }

    [Fact]
    public void HttpSocketIniWithStaticMap_ServesAppAndStaticFilesOverHttp()
    {
        using var dir = new TempDir("nl-ini-");
        AppCliPeers.CopySeed(dir, "request_flow.py");
        dir.Dir("public");
        dir.File("public/hello.txt", "static hello\n");
        var port = AppCliPeers.Port();
        dir.File("http.ini", $"[uwsgi]\nmodule = request_flow\nhttp-socket = 127.0.0.1:{port}\nstatic-map = /static=public\nprocesses = 1\n");
        using var nginxlite = FrontEndProcess.Start(AppCliPeers.NginxLite, ["--ini", "http.ini"], dir.Path, port: port);

        var root = UpstreamClient.Get(port, "/");
        var missing = UpstreamClient.Get(port, "/nope");
        var file = UpstreamClient.Get(port, "/static/hello.txt");

        Assert.Equal((200, "Hello, World!"), (root.Status, System.Text.Encoding.UTF8.GetString(root.Body)));
        Assert.Equal((404, "Not Found"), (missing.Status, System.Text.Encoding.UTF8.GetString(missing.Body)));
        Assert.Equal((200, "static hello\n"), (file.Status, System.Text.Encoding.UTF8.GetString(file.Body)));
    }
}
