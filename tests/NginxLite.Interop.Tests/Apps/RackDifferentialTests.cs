using System.Security.Cryptography;
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

        RackRequestTable.AssertSame(shimFront.Port, "shim", uwsgiFront.Port, "uWSGI");
        if (which == "plain")
        {
            var upload = RackRequestTable.Upload();
            var echo = AppHttp.Send(shimFront.Port, "POST", "/echo", upload, "application/octet-stream");
            Assert.Equal($"{upload.Length} {Convert.ToHexStringLower(SHA256.HashData(upload))} same_after_rewind=true\n", AppHttp.Text(echo));
        }
    }
}
