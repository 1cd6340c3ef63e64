using System.Security.Cryptography;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// Rack apps behind real nginx under the Ruby shim and under real uWSGI's rack plugin (uwsgi-plugin-rack-ruby3.1):
/// the same requests get the same status, headers that matter and body.
/// </summary>
public sealed class RackDifferentialTests
{
    private static void Same(NginxUwsgiFront shim, NginxUwsgiFront uwsgi, string name, Func<int, RawResponse> send)
    {
        var a = send(shim.Port);
        var b = send(uwsgi.Port);
        var why = $"{name}:\n--- uWSGI\n{b.Dump(2000)}\n--- shim\n{a.Dump(2000)}";
        Assert.True(a.Error is null && b.Error is null, "a request failed: " + why);
        Assert.True(a.Status == b.Status, "status differs: " + why);
        foreach (var header in WsgiReferencePair.ComparedHeaders.Append("X-Custom"))
        {
            Assert.True(string.Join(" | ", a.HeaderValues(header)) == string.Join(" | ", b.HeaderValues(header)), $"{header} differs: {why}");
        }

        Assert.True(a.Body.AsSpan().SequenceEqual(b.Body), "body differs: " + why);
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("plain")]
    public void RackApp_ShimAndUwsgiRackPlugin_SameResponses(string which)
    {
        var rackup = which == "seed" ? Path.Combine(RepoPaths.Seed, "config.ru") : ShimPaths.TestApp("rack_plain.ru");
        using var dir = new TempDir("nginxlite-rack-diff-");
        using var shim = ShimProcess.StartRack(Path.Combine(dir.Path, "shim.sock"), dir.Path, "--rackup", rackup);
        var uwsgiSocket = Path.Combine(dir.Path, "uwsgi.sock");
        using var uwsgi = BackendProcess.Start(Backends.Uwsgi,
            ["--plugin", "rack_ruby31", "--socket", uwsgiSocket, "--chmod-socket=660", "--rack", rackup, "--master", "--processes", "1",
             "--die-on-term", "--need-app", "--disable-logging"],
            uwsgiSocket, 2 /* SIGINT */, Path.GetDirectoryName(rackup));
        using var shimFront = new NginxUwsgiFront(dir, shim.Socket, "nginx-shim");
        using var uwsgiFront = new NginxUwsgiFront(dir, uwsgiSocket, "nginx-uwsgi");

        var upload = new byte[3 * 1024 * 1024];
        new Random(9).NextBytes(upload);
        Same(shimFront, uwsgiFront, "GET /", p => AppHttp.Get(p, "/"));
        Same(shimFront, uwsgiFront, "GET /missing", p => AppHttp.Get(p, "/missing?x=1"));
        Same(shimFront, uwsgiFront, "HEAD /", p => AppHttp.Head(p, "/"));
        Same(shimFront, uwsgiFront, "POST /echo small", p => AppHttp.Send(p, "POST", "/echo", "a=1&b=2"u8.ToArray(), "application/x-www-form-urlencoded"));
        Same(shimFront, uwsgiFront, "POST /echo 3 MiB", p => AppHttp.Send(p, "POST", "/echo", upload, "application/octet-stream"));
        // Not POST /gets: uWSGI's rack plugin never ends rack.input#each at the end of the body (the request hangs
        // until uwsgi_read_timeout); RackShimTests checks the shim's gets/each.
        Same(shimFront, uwsgiFront, "GET /stream", p => AppHttp.Get(p, "/stream"));
        Same(shimFront, uwsgiFront, "GET /headers", p => AppHttp.Get(p, "/headers"));
        Same(shimFront, uwsgiFront, "GET /redirect", p => AppHttp.Get(p, "/redirect"));
        if (which == "plain")
        {
            var echo = AppHttp.Send(shimFront.Port, "POST", "/echo", upload, "application/octet-stream");
            Assert.Equal($"{upload.Length} {Convert.ToHexStringLower(SHA256.HashData(upload))} same_after_rewind=true\n", AppHttp.Text(echo));
        }
    }
}
