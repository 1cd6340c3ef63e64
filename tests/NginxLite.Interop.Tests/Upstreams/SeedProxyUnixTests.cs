using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// ../shared/examples/seed/proxy-unix.conf as it is (only the socket path moved into a temp dir), inside a server
/// block, in front of gunicorn bound to that Unix socket: the app is reached with Host and X-Real-IP set, by nginx
/// and by nginxlite alike.
/// </summary>
public sealed class SeedProxyUnixTests
{
    private const string App = """
        def app(environ, start_response):
            body = ("host=%s real-ip=%s path=%s" % (environ.get("HTTP_HOST"), environ.get("HTTP_X_REAL_IP"), environ.get("PATH_INFO"))).encode()
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        """;

    [Fact]
    public void ProxyUnixConf_ReachesGunicornOnTheSocket_WithHostAndRealIp()
    {
        using var dir = new TempDir("nginxlite-seed-proxy-");
        var socket = Path.Combine(dir.Path, "app.sock");
        dir.File("echoapp.py", App);
        var seed = File.ReadAllText(Path.Combine(RepoPaths.Seed, "proxy-unix.conf"));
        Assert.Contains("proxy_pass http://unix:/path/to/app.sock;", seed);
        var snippet = seed.Replace("/path/to/app.sock", socket, StringComparison.Ordinal);

        using var gunicorn = Process.Start(new ProcessStartInfo("gunicorn", ["--bind", "unix:" + socket, "--workers", "1", "--chdir", dir.Path, "echoapp:app"])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var log = new StringBuilder();
        gunicorn.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        gunicorn.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        gunicorn.BeginOutputReadLine();
        gunicorn.BeginErrorReadLine();
        try
        {
            WaitForSocket(socket, gunicorn, log);
            string Config(int port) => $$"""
                error_log logs/error.log;
                pid logs/server.pid;
                events {}
                http {
                    access_log logs/access.log;
                    server {
                        listen 127.0.0.1:{{port}};
                        server_name app.example;
                        {{snippet}}
                    }
                }
                """;
            foreach (var flavor in new[] { ServerFlavor.Nginx, ServerFlavor.NginxLite })
            {
                using var server = ServerProcess.Start(flavor, dir.Dir(flavor.Name), Config);
                var response = RawHttpClient.Send(server.Port, Encoding.ASCII.GetBytes("GET /hello HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(10));
                Assert.True(response.Status == 200, $"{flavor}:\n{response.Dump()}\n{server.Describe()}");
                Assert.Equal("host=app.example real-ip=127.0.0.1 path=/hello", Encoding.UTF8.GetString(response.Body));
            }
        }
        finally
        {
            gunicorn.Kill(entireProcessTree: true);
            gunicorn.WaitForExit(5000);
        }
    }

    private static void WaitForSocket(string path, Process process, StringBuilder log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                lock (log)
                {
                    Assert.Fail("gunicorn exited: " + log);
                }
            }

            if (File.Exists(path))
            {
                try
                {
                    using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    s.Connect(new UnixDomainSocketEndPoint(path));
                    return;
                }
                catch (SocketException)
                {
                }
            }

            Thread.Sleep(100);
        }

        Assert.Fail("gunicorn did not listen on " + path);
    }
}
