using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Operations;

/// <summary>
/// <c>status_page on;</c> and the <c>apps</c> part of <c>nginxlite_status json;</c>: real app_pass traffic through a
/// pool of two python3 workers, the JSON checked by exact counts, the HTML page's headers, and the page rendered by
/// headless Chromium (screenshot decoded and checked for chart colours; DOM checked for the JSON's numbers).
/// </summary>
public sealed class StatusPageInteropTests
{
    private const string App = """
        def application(environ, start_response):
            if environ["PATH_INFO"] == "/boom":
                raise RuntimeError("the app raised")
            body = b"hello\n"
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        """;

    private static Func<int, string> Config(string prefix, bool withApp) => port => $$"""
        pid logs/nl.pid;
        events { }
        http {
            access_log off;
            {{(withApp ? $"app hello {{ module counted:application; chdir {prefix}; processes 2; }}" : "")}}
            server {
                listen 127.0.0.1:{{port}};
                server_name app.test;
                location / { {{(withApp ? "app_pass hello;" : "return 200 \"ok\\n\";")}} }
            }
            server {
                listen 127.0.0.1:{{port}};
                server_name monitor.test;
                location = /status { status_page on; }
            }
        }
        """;

    [Fact]
    public void NginxliteStatus_AppPassTraffic_AppPoolCountersAndWorkersExact()
    {
        using var dir = new TempDir();
        dir.File("counted.py", App);
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", Config(dir.Path + "/", withApp: true));
        SendTraffic(lite.Port, ok: 5, raising: 1);

        using var status = ReadJson(lite.Port, json => json.RootElement.GetProperty("apps").GetProperty("hello").GetProperty("requests").GetInt64() == 6);
        var pool = status.RootElement.GetProperty("apps").GetProperty("hello");
        Assert.Equal(2, pool.GetProperty("processes").GetInt32());
        Assert.Equal(6, pool.GetProperty("requests").GetInt64());
        Assert.Equal(5, pool.GetProperty("responses").GetProperty("2xx").GetInt64());
        Assert.Equal(1, pool.GetProperty("responses").GetProperty("5xx").GetInt64());
        Assert.Equal(6, pool.GetProperty("latency_ms").GetProperty("buckets").EnumerateArray().Last().GetProperty("count").GetInt64());
        var workers = pool.GetProperty("workers").EnumerateArray().ToList();
        Assert.Equal([1, 2], workers.Select(w => w.GetProperty("id").GetInt32()));
        Assert.All(workers, w => Assert.Equal(lite.Pid, ParentOf(w.GetProperty("pid").GetInt32())));
        Assert.All(workers, w => Assert.Equal("idle", w.GetProperty("state").GetString()));
        Assert.All(workers, w => Assert.Equal(0, w.GetProperty("respawns").GetInt64()));
        Assert.All(workers, w => Assert.True(w.GetProperty("rss").GetInt64() > 0));
        Assert.All(workers, w => Assert.True(w.GetProperty("last_spawn").GetInt64() > 1_600_000_000));
        Assert.Equal(6, workers.Sum(w => w.GetProperty("requests").GetInt64()));
        Assert.Equal(1, workers.Sum(w => w.GetProperty("exceptions").GetInt64()));
        Assert.Equal(0, workers.Sum(w => w.GetProperty("harakiri_count").GetInt64()));
        // The shim's 200 carries the 6-byte body, its 500 a 22-byte one: tx is more than the bodies (heads count).
        Assert.True(workers.Sum(w => w.GetProperty("tx").GetInt64()) > 5 * 6 + 22);
        // app_pass traffic is counted under apps, not upstreams.
        Assert.False(status.RootElement.GetProperty("upstreams").TryGetProperty("hello", out _));
    }

    [Fact]
    public void StatusPage_Html_SelfContainedWithStrictCspHashingItsScript()
    {
        using var dir = new TempDir();
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", Config(dir.Path + "/", withApp: false));

        var page = Send(lite.Port, "GET", "/status", "monitor.test");

        Assert.Equal(200, page.Status);
        Assert.Equal("text/html; charset=utf-8", page.Header("Content-Type"));
        var html = Encoding.UTF8.GetString(page.Body);
        var csp = page.Header("Content-Security-Policy") ?? "";
        Assert.StartsWith("default-src 'none'; ", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.Contains($"script-src '{Sha256Between(html, "<script>", "</script>")}'", csp);
        Assert.Contains($"style-src '{Sha256Between(html, "<style>", "</style>")}'", csp);
        Assert.DoesNotMatch(new Regex("(src|href)=|https?://|url\\("), html); // nothing loaded from elsewhere
        Assert.Equal("nosniff", page.Header("X-Content-Type-Options"));
        Assert.Equal(405, Send(lite.Port, "POST", "/status", "monitor.test").Status);
        var json = Send(lite.Port, "GET", "/status?format=json", "monitor.test");
        Assert.Equal("application/json", json.Header("Content-Type"));
        using var doc = JsonDocument.Parse(json.Body);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("apps").ValueKind);
    }

    [Fact]
    public void StatusPage_HeadlessChromiumAfterTraffic_ChartsDrawnAndDomHasTheJsonNumbers()
    {
        using var dir = new TempDir();
        dir.File("counted.py", App);
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", Config(dir.Path + "/", withApp: true));
        SendTraffic(lite.Port, ok: 7, raising: 2);
        using var status = ReadJson(lite.Port, json => Requests(json, "servers", "app.test") == 9 && Requests(json, "apps", "hello") == 9);
        var pids = status.RootElement.GetProperty("apps").GetProperty("hello").GetProperty("workers").EnumerateArray()
            .Select(w => w.GetProperty("pid").GetInt32()).ToList();
        var rule = $"MAP monitor.test 127.0.0.1:{lite.Port}";

        var dom = HeadlessChromium.DumpDom("http://monitor.test/status", rule);
        Assert.Matches(Row("server:app.test", "app.test", 9), dom);
        Assert.Matches(Row("app:hello", "hello", 9), dom);
        Assert.All(pids, pid => Assert.Contains($"<tr data-pid=\"{pid}\"><td>hello</td>", dom, StringComparison.Ordinal));
        Assert.Contains("updated 20", dom, StringComparison.Ordinal); // at least one poll was drawn

        var png = PngImage.Decode(HeadlessChromium.Screenshot("http://monitor.test/status", rule));
        Assert.Equal((1200, 900), (png.Width, png.Height));
        Assert.True(png.LuminanceVariance() > 100, "the screenshot is blank");
        Assert.True(png.Count(0x2e, 0x9e, 0x5b) > 500, "no 2xx bar (#2e9e5b) in the status-class chart");
        Assert.True(png.Count(0xd6, 0x27, 0x28) > 100, "no 5xx bar (#d62728) in the status-class chart");
        Assert.True(png.Count(0x1f, 0x77, 0xb4) > 500, "no latency histogram bars (#1f77b4)");
    }

    [Fact]
    public void StatusPage_HeadlessChromiumNoTrafficNoApps_RendersAxesAndEmptyState()
    {
        using var dir = new TempDir();
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", Config(dir.Path + "/", withApp: false));
        var rule = $"MAP monitor.test 127.0.0.1:{lite.Port}";

        var dom = HeadlessChromium.DumpDom("http://monitor.test/status", rule);
        Assert.Contains("no app pools in this configuration", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("server:app.test", dom, StringComparison.Ordinal); // nothing was sent to app.test
        Assert.Matches("<b id=\"conn-accepted\">[1-9][0-9]*</b>", dom); // the page's own connection

        var png = PngImage.Decode(HeadlessChromium.Screenshot("http://monitor.test/status", rule));
        Assert.True(png.LuminanceVariance() > 100, "the screenshot is blank");
        // The four plot areas (#f8fafd, 506×186 each) are filled by the page's script: the canvases were drawn.
        Assert.True(png.Count(0xf8, 0xfa, 0xfd) > 200_000, "no chart plot areas (#f8fafd)");
        Assert.Equal(0, png.Count(0xd6, 0x27, 0x28)); // no 5xx bar without traffic
    }

    private static Regex Row(string key, string name, long requests) =>
        new($"<tr data-key=\"{Regex.Escape(key)}\"><td>[a-z]+</td><td>{Regex.Escape(name)}</td><td data-field=\"requests\">{requests}</td>");

    private static void SendTraffic(int port, int ok, int raising)
    {
        for (var i = 0; i < ok; i++)
        {
            var r = Send(port, "GET", "/x", "app.test");
            Assert.Equal(200, r.Status);
        }

        for (var i = 0; i < raising; i++)
        {
            Assert.Equal(500, Send(port, "GET", "/boom", "app.test").Status);
        }
    }

    /// <summary>The status JSON once <paramref name="ready"/> holds (a request is counted when its log phase ends,
    /// just after the client has the response).</summary>
    private static JsonDocument ReadJson(int port, Func<JsonDocument, bool> ready)
    {
        JsonDocument? status = null;
        RawResponse? response = null;
        var reached = Lifecycle.ProcessInterfaceSupport.Eventually(() =>
        {
            response = Send(port, "GET", "/status?format=json", "monitor.test");
            status?.Dispose();
            status = response.Status == 200 ? JsonDocument.Parse(response.Body) : null;
            return status is not null && ready(status);
        });
        Assert.True(reached, $"the counters did not reach the expected values: {response?.Dump(6000)}");
        return status!;
    }

    private static long Requests(JsonDocument status, string group, string name) =>
        status.RootElement.GetProperty(group).TryGetProperty(name, out var counters) ? counters.GetProperty("requests").GetInt64() : -1;

    private static string Sha256Between(string text, string open, string close)
    {
        var start = text.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var end = text.IndexOf(close, start, StringComparison.Ordinal);
        return "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text[start..end])));
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static RawResponse Send(int port, string method, string path, string host) =>
        RawHttpClient.Send(port, Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(10));
}
