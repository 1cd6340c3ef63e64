using System.Net;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// `app` blocks served by the nginxlite binary (NGINXLITE_BIN) with real python3/ruby workers running the shims, the
/// seed examples as they are (issue 6): WSGI, Flask, routing, Rack, a uwsgi.ini behind a real nginx uwsgi_pass, and a
/// load failure.
/// </summary>
public sealed class AppPassInteropTests : IDisposable
{
    private static readonly string Seed = RepoPaths.Seed;
    private readonly TempDir _dir = new("nginxlite-apps-interop-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    internal static string Config(int port, string apps, string location = "app_pass a;", string prefix = "") => $$"""
        {{prefix}}
        error_log logs/error.log notice;
        events {}
        http {
            access_log off;
            {{apps}}
            server {
                listen 127.0.0.1:{{port}};
                location / { {{location}} }
            }
        }
        """;

    private ServerProcess Serve(string app, string location = "app_pass a;") =>
        WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), port => Config(port, app, location)));

    /// <summary>The port accepts once bound; the pools start after that (requests are held until then): wait for the
    /// supervisor's "started" line (bounded) before looking at sockets and pids.</summary>
    internal static ServerProcess WaitStarted(ServerProcess server)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !server.HasExited
               && !(File.Exists(server.ErrorLog) && File.ReadAllText(server.ErrorLog).Contains(" worker(s) (pids: ", StringComparison.Ordinal)))
        {
            Thread.Sleep(20);
        }

        return server;
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, string path)
    {
        using var response = await _http.GetAsync($"http://127.0.0.1:{port}{path}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AppPass_SeedSimpleApp_TwoProcesses_HelloWsgi()
    {
        using var server = Serve($"app a {{ module simple_app:simple_app; chdir {Seed}; processes 2; }}");

        Assert.Equal((HttpStatusCode.OK, "Hello, WSGI!"), await GetAsync(server.Port, "/"));
        Assert.Contains("app \"a\" started 2 worker(s)", File.ReadAllText(server.ErrorLog));
    }

    [Fact]
    public async Task AppPass_UpstreamVariables_WorkerSocketAndStatusInAddHeader()
    {
        // add_header is evaluated when the head goes out: the attempt's address and status are set by then, as in nginx.
        using var server = Serve($"app a {{ module simple_app:simple_app; chdir {Seed}; }}",
            "app_pass a; add_header X-Up \"$upstream_addr|$upstream_status\" always;");

        using var response = await _http.GetAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^unix:/.+/worker-1\.\d+\.sock\|200$", string.Join(",", response.Headers.GetValues("X-Up")));
    }

    [Fact]
    public async Task AppPass_SeedFlaskApp_HelloFlask()
    {
        using var server = Serve($"app a {{ module flask_app:app; chdir {Seed}; }}");

        Assert.Equal((HttpStatusCode.OK, "Hello, Flask!"), await GetAsync(server.Port, "/"));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server.Port, "/nope")).Status);
    }

    [Fact]
    public async Task AppPass_SeedRequestFlow_RoutesByMethodAndPath()
    {
        using var server = Serve($"app a {{ module request_flow; chdir {Seed}; }}");

        Assert.Equal((HttpStatusCode.OK, "Hello, World!"), await GetAsync(server.Port, "/"));
        Assert.Equal((HttpStatusCode.NotFound, "Not Found"), await GetAsync(server.Port, "/x"));
        using var post = await _http.PostAsync($"http://127.0.0.1:{server.Port}/", new StringContent("body"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task AppPass_SeedConfigRu_HelloRack()
    {
        using var server = Serve($"app a {{ rack config.ru; chdir {Seed}; }}");

        Assert.Equal((HttpStatusCode.OK, "Hello, Rack!"), await GetAsync(server.Port, "/"));
    }

    [Fact]
    public async Task AppPass_ClientProxyHeader_NeverHttpProxy()
    {
        _dir.File("app/env_app.py", """
            def application(environ, start_response):
                body = ("%s|%s|%s" % (environ.get("HTTP_PROXY", "-"), environ["SCRIPT_NAME"], environ["PATH_INFO"])).encode()
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [body]
            """);
        using var server = Serve($"app a {{ module env_app; chdir {_dir.Path}/app; }}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}/p/q?x=1");
        request.Headers.Add("Proxy", "http://evil.example:3128");

        using var response = await _http.SendAsync(request);

        Assert.Equal("-||/p/q", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AppPass_SeedUwsgiIni_PublicSocketBehindRealNginxUwsgiPass()
    {
        // socket = app.sock is relative to the ini: a copy in a temp dir keeps the seed read-only.
        var ini = _dir.File("ini/uwsgi.ini", File.ReadAllText(Path.Combine(Seed, "uwsgi.ini")));
        _dir.File("ini/myapp.py", File.ReadAllText(Path.Combine(Seed, "myapp.py")));
        var socket = Path.Combine(_dir.Path, "ini", "app.sock");
        using var lite = Serve($"app a {{ ini {ini}; }}");
        var mode = (UnixFileMode)Convert.ToInt32("660", 8);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The socket file appears at bind(); chmod-socket follows it (as in uWSGI): wait for both, not the first alone.
        while (!(File.Exists(socket) && File.GetUnixFileMode(socket) == mode) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        Assert.True(File.Exists(socket), lite.Describe());
        Assert.Equal(mode, File.GetUnixFileMode(socket));

        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, _dir.Dir("nginx"), port => Config(port, "",
            $"include /etc/nginx/uwsgi_params; uwsgi_pass unix:{socket};"));

        Assert.Equal((HttpStatusCode.OK, "Hello, Development!"), await GetAsync(nginx.Port, "/"));
        Assert.Equal((HttpStatusCode.OK, "Hello, Development!"), await GetAsync(lite.Port, "/"));
        lite.Dispose();
        Assert.False(File.Exists(socket)); // vacuum
    }

    [Fact]
    public void AppPass_ImportError_ExitOneWithEmergAndTraceback()
    {
        _dir.File("bad/broken_app.py", "import no_such_module_for_nginxlite\n");

        // The port is bound before the pools start, so the start may look fine for a moment: wait for the exit.
        try
        {
            using var server = Serve($"app bad {{ module broken_app; chdir {_dir.Path}/bad; }}", "app_pass bad;");
            Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)), server.Describe());
            Assert.Equal(1, server.ExitCode);
        }
        catch (ServerStartException e)
        {
            Assert.Contains("exited with code 1", e.Message);
        }

        var log = File.ReadAllText(Path.Combine(_dir.Path, "lite", "logs", "error.log"));
        Assert.Contains("[emerg]", log);
        Assert.Contains("app \"bad\" failed to load", log);
        Assert.Contains("Traceback (most recent call last):", log);
        Assert.Contains("ModuleNotFoundError: No module named 'no_such_module_for_nginxlite'", log);
    }
}
