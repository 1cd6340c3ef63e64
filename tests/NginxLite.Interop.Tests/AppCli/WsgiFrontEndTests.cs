using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary>
/// <c>nginxlite wsgi</c> with gunicorn's arguments, on the seed apps as they are (a temp dir as the start directory,
/// the bind moved to a free loopback port), and against Debian's gunicorn running the same app with the same arguments.
/// </summary>
public sealed class WsgiFrontEndTests
{
    private const string EchoApp = """
        def application(environ, start_response):
            path = environ['PATH_INFO']
            if path == '/' and environ['REQUEST_METHOD'] == 'GET':
                start_response('200 OK', [('Content-Type', 'text/plain; charset=utf-8')])
                return [b'root ' + environ.get('QUERY_STRING', '').encode()]
            if path == '/echo' and environ['REQUEST_METHOD'] == 'POST':
                n = int(environ.get('CONTENT_LENGTH') or 0)
                body = environ['wsgi.input'].read(n)
                start_response('200 OK', [('Content-Type', 'application/octet-stream')])
                return [body]
            start_response('404 Not Found', [('Content-Type', 'text/html')])
            return [b'<h1>missing</h1>']
        """;

    private static string Text(RawResponse r) => Encoding.UTF8.GetString(r.Body);

    [Fact]
    public void SeedGunicornShArguments_ServeMyappWithFourWorkers()
    {
        using var dir = new TempDir("nl-wsgi-");
        AppCliPeers.CopySeed(dir, "myapp.py");
        var port = AppCliPeers.Port();

        // seed gunicorn.sh: gunicorn --workers 4 --bind 0.0.0.0:8000 myapp:app (the address moved to loopback)
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite, ["wsgi", "--workers", "4", "--bind", $"127.0.0.1:{port}", "myapp:app"], dir.Path, port: port);
        var r = UpstreamClient.Get(port, "/");

        Assert.Equal((200, "Hello, Development!"), (r.Status, Text(r)));
        Assert.Equal(4, server.Children().Count);
    }

    [Fact]
    public void SeedGunicornConfPy_WithBindOverride_FourWorkersTwoThreads()
    {
        using var dir = new TempDir("nl-wsgi-");
        AppCliPeers.CopySeed(dir, "myapp.py", "gunicorn.conf.py");
        var port = AppCliPeers.Port();

        // The config file says bind = '0.0.0.0:8000'; the command line wins (gunicorn's precedence).
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite, ["wsgi", "-c", "gunicorn.conf.py", "--bind", $"127.0.0.1:{port}", "myapp:app"], dir.Path, port: port);
        var r = UpstreamClient.Get(port, "/");
        var workers = server.Children();

        Assert.Equal((200, "Hello, Development!"), (r.Status, Text(r)));
        Assert.Equal(4, workers.Count);
        Assert.All(workers, pid => Assert.True(Directory.GetDirectories($"/proc/{pid}/task").Length >= 2, $"worker {pid} runs 2 threads"));
    }

    [Theory]
    [InlineData("simple_app.py", "simple_app:simple_app", "Hello, WSGI!")]
    [InlineData("flask_app.py", "flask_app:app", "Hello, Flask!")]
    [InlineData("request_flow.py", "request_flow", "Hello, World!")]
    public void SeedApp_ServedOverHttp(string file, string app, string body)
    {
        using var dir = new TempDir("nl-wsgi-");
        AppCliPeers.CopySeed(dir, file);
        var port = AppCliPeers.Port();
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite, ["wsgi", "--bind", $"127.0.0.1:{port}", app], dir.Path, port: port);

        var r = UpstreamClient.Get(port, "/");

        Assert.Equal((200, body), (r.Status, Text(r)));
    }

    [Fact]
    public void SeedDevServer_ImportGuard_ServesMyAppWithoutRunningItsServer()
    {
        // dev_server.py calls make_server('localhost', 8000, my_app).serve_forever() at import time; under gunicorn a
        // worker would hang there. nginxlite wsgi turns the shim's import guard on: the workers get ready and serve my_app.
        using var dir = new TempDir("nl-wsgi-");
        AppCliPeers.CopySeed(dir, "dev_server.py");
        var port = AppCliPeers.Port();
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite, ["wsgi", "-w", "2", "--bind", $"127.0.0.1:{port}", "dev_server:my_app"], dir.Path, port: port);

        var r = UpstreamClient.Get(port, "/");

        Assert.Equal((200, "Hello, Development!"), (r.Status, Text(r)));
        Assert.Equal(2, server.Children().Count);
        Assert.True(server.OutputShows("import guard: make_server('localhost', 8000, ...) at import time is not bound"), server.Output);
    }

    [Fact]
    public void Reload_ModuleEdited_NewCodeServedByNewWorkers()
    {
        // gunicorn --reload restarts the workers when the app's code changes; the config does not change, so this is the
        // supervisor's chain reload (a reload with unchanged settings used to keep the old workers and the old code).
        using var dir = new TempDir("nl-wsgi-");
        var module = dir.File("ver.py", "def app(environ, start_response):\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [b'v1']\n");
        var port = AppCliPeers.Port();
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite, ["wsgi", "--reload", "-w", "2", "--bind", $"127.0.0.1:{port}", "ver:app"], dir.Path, port: port);
        Assert.Equal((200, "v1"), (UpstreamClient.Get(port, "/").Status, Text(UpstreamClient.Get(port, "/"))));
        var before = server.Children().ToHashSet();

        File.WriteAllText(module, File.ReadAllText(module).Replace("v1", "v2", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(module, DateTime.UtcNow.AddSeconds(5));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((server.Children().Any(before.Contains) || Text(UpstreamClient.Get(port, "/")) != "v2") && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(200);
        }

        Assert.Equal(2, before.Count);
        Assert.DoesNotContain(server.Children(), before.Contains);
        Assert.Equal((200, "v2"), (UpstreamClient.Get(port, "/").Status, Text(UpstreamClient.Get(port, "/"))));
    }

    [Fact]
    public void RequestTable_SameAsRealGunicorn()
    {
        using var dir = new TempDir("nl-wsgi-");
        dir.File("echo_app.py", EchoApp);
        var body = Encoding.UTF8.GetBytes("name=value&x=" + new string('y', 3000));
        List<string> Table(string program, string[] prefix)
        {
            var port = AppCliPeers.Port();
            using var server = FrontEndProcess.Start(program, [.. prefix, "--workers", "2", "--bind", $"127.0.0.1:{port}", "echo_app:application"], dir.Path, port: port);
            RawResponse[] responses = [UpstreamClient.Get(port, "/?a=1"), UpstreamClient.Get(port, "/missing"), UpstreamClient.Post(port, "/echo", body, chunked: false)];
            return [.. responses.Select(r => $"{r.Status} {r.Header("Content-Type")} {UpstreamClient.Md5(r.Body)} {r.Body.Length}")];
        }

        var gunicorn = Table(AppCliPeers.Gunicorn, []);
        var ours = Table(AppCliPeers.NginxLite, ["wsgi"]);

        Assert.Equal(gunicorn, ours);
        Assert.StartsWith("200 text/plain; charset=utf-8", ours[0]);
        Assert.StartsWith("404 text/html", ours[1]);
    }

    [Fact]
    public void UnixBind_RelativePath_HttpOnThatSocketInStartDirectory()
    {
        using var dir = new TempDir("nl-wsgi-");
        AppCliPeers.CopySeed(dir, "simple_app.py");
        var socket = Path.Combine(dir.Path, "web.sock");
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite, ["wsgi", "--bind", "unix:web.sock", "simple_app:simple_app"], dir.Path, socket: socket);

        using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        s.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
        s.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8);
        using var stream = new System.Net.Sockets.NetworkStream(s);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var text = Encoding.UTF8.GetString(buffer.ToArray());

        Assert.StartsWith("HTTP/1.1 200", text);
        Assert.Contains("\r\n\r\nc\r\nHello, WSGI!\r\n0\r\n\r\n", text); // no Content-Length from the app: chunked, as gunicorn does for HTTP/1.1
    }

    [Fact]
    public void UnknownOption_UsageErrorExit2LikeGunicorn()
    {
        using var dir = new TempDir("nl-wsgi-");
        using var gunicorn = FrontEndProcess.Start(AppCliPeers.Gunicorn, ["--bogus", "x:app"], dir.Path);
        using var ours = FrontEndProcess.Start(AppCliPeers.NginxLite, ["wsgi", "--bogus", "x:app"], dir.Path);

        Assert.True(gunicorn.WaitForExit(TimeSpan.FromSeconds(30)) && ours.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal((2, 2), (gunicorn.ExitCode, ours.ExitCode));
        Assert.Contains("error: unrecognized arguments: --bogus", gunicorn.Output);
        Assert.Contains("nginxlite wsgi: error: unrecognized arguments: --bogus", ours.Output);
    }

    [Fact]
    public void SeedConfigRu_RackFrontEnd_HelloRack()
    {
        using var dir = new TempDir("nl-rack-");
        AppCliPeers.CopySeed(dir, "config.ru");
        var port = AppCliPeers.Port();
        using var server = FrontEndProcess.Start(AppCliPeers.NginxLite, ["rack", "-o", "127.0.0.1", "-p", port.ToString(), "-w", "2"], dir.Path, port: port);

        var r = UpstreamClient.Get(port, "/");

        Assert.Equal((200, "Hello, Rack!"), (r.Status, Text(r)));
        Assert.Equal("text/plain", r.Header("Content-Type"));
        Assert.Equal(2, server.Children().Count);
    }
}
