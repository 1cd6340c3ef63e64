using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Operations;

/// <summary>
/// <c>nginxlite_status json;</c>: per-server and per-upstream counters (requests, status classes, latency histogram)
/// after real traffic through a proxy_pass upstream (another server of the same nginxlite, on a Unix socket).
/// </summary>
public sealed class TrafficStatusInteropTests
{
    private static Func<int, string> Config(string prefix) => port => $$"""
        pid logs/nl.pid;
        events { }
        http {
            access_log off;
            upstream backend { server unix:{{prefix}}logs/backend.sock; }
            server {
                listen unix:{{prefix}}logs/backend.sock;
                location / { return 200 "backend\n"; }
            }
            server {
                listen 127.0.0.1:{{port}};
                server_name status.test;
                location /up/ { proxy_pass http://backend; }
                location / { return 404; }
            }
            server {
                listen 127.0.0.1:{{port}};
                server_name monitor.test;
                location = /status { nginxlite_status json; }
            }
        }
        """;

    [Fact]
    public void NginxliteStatus_AfterTraffic_CountsPerServerAndUpstream()
    {
        using var dir = new TempDir();
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", Config(dir.Path + "/"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, Send(lite.Port, "GET", "/up/x").Status);
        }

        Assert.Equal(404, Send(lite.Port, "GET", "/missing").Status);
        Assert.Equal(404, Send(lite.Port, "GET", "/missing").Status);

        // A request is counted when its access-log phase ends, just after the client has the response: poll.
        // The status page is its own server (monitor.test), so reading it does not move status.test's counters.
        JsonDocument? status = null;
        RawResponse? response = null;
        Assert.True(Lifecycle.ProcessInterfaceSupport.Eventually(() =>
        {
            response = Send(lite.Port, "GET", "/status", "monitor.test");
            status?.Dispose();
            status = response.Status == 200 ? JsonDocument.Parse(response.Body) : null;
            return status is not null && Requests(status, "servers", "status.test") == 5 && Requests(status, "upstreams", "http://backend") == 3
                && Requests(status, "servers", "") == 3;
        }), $"counters did not reach 5/3/3: {response?.Dump(4000)}");
        Assert.Equal("application/json", response!.Header("Content-Type"));
        using var document = status!;
        var root = document.RootElement;

        var server = root.GetProperty("servers").GetProperty("status.test");
        Assert.Equal(5, server.GetProperty("requests").GetInt64());
        Assert.Equal(3, server.GetProperty("responses").GetProperty("2xx").GetInt64());
        Assert.Equal(2, server.GetProperty("responses").GetProperty("4xx").GetInt64());
        Assert.Equal(0, server.GetProperty("responses").GetProperty("5xx").GetInt64());
        var buckets = server.GetProperty("latency_ms").GetProperty("buckets").EnumerateArray().ToArray();
        Assert.Equal("+Inf", buckets[^1].GetProperty("le").GetString());
        Assert.Equal(5, buckets[^1].GetProperty("count").GetInt64());
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.GetProperty("count").GetInt64() <= p.Second.GetProperty("count").GetInt64()), "buckets are cumulative");

        var upstream = root.GetProperty("upstreams").GetProperty("http://backend");
        Assert.Equal(3, upstream.GetProperty("requests").GetInt64());
        Assert.Equal(3, upstream.GetProperty("responses").GetProperty("2xx").GetInt64());

        // The backend server (no server_name) answered the three proxied requests.
        Assert.Equal(3, root.GetProperty("servers").GetProperty("").GetProperty("requests").GetInt64());
        Assert.True(root.GetProperty("connections").GetProperty("accepted").GetInt64() >= 6);
    }

    [Fact]
    public void NginxliteStatus_Post_Returns405()
    {
        using var dir = new TempDir();
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", Config(dir.Path + "/"));
        Assert.Equal(405, Send(lite.Port, "POST", "/status", "monitor.test").Status);
    }

    [Fact]
    public void NginxliteStatus_UnknownFormat_ConfigTestFails()
    {
        using var dir = new TempDir();
        var conf = dir.File("bad.conf", "events { }\nhttp { server { location /s { nginxlite_status xml; } } }\n");
        var psi = new ProcessStartInfo(NginxLiteExecutable.Find().Path, ["-t", "-p", dir.Path + "/", "-c", conf]) { RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Contains($"[emerg] invalid value \"xml\" in \"nginxlite_status\" directive, it must be \"json\" in {conf}:2", stderr, StringComparison.Ordinal);
    }

    private static long Requests(JsonDocument status, string group, string name) =>
        status.RootElement.GetProperty(group).TryGetProperty(name, out var counters) ? counters.GetProperty("requests").GetInt64() : -1;

    private static RawResponse Send(int port, string method, string path, string host = "status.test") =>
        RawHttpClient.Send(port, Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(5));
}
