using System.Security.Cryptography;
using System.Text;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// The Ruby worker shim behind a real nginx <c>uwsgi_pass</c>, running Apps/rack_test_app.ru inside Rack::Lint: a
/// Rack 2 SPEC violation by the shim (env keys and types, rack.input, body handling) fails the request.
/// </summary>
public sealed class RackShimTests(RackShimSite site) : IClassFixture<RackShimSite>
{
    private int Port => site.Port;

    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    [Fact]
    public void RackShim_Get_EnvFollowsRackSpec()
    {
        var r = AppHttp.Send(Port, "GET", "/env?a=1", extraHeaders: "X-Custom: rack value\r\n");
        Assert.Equal(200, r.Status);
        var text = AppHttp.Text(r);
        Assert.Contains("REQUEST_METHOD=GET\n", text);
        Assert.Contains("SCRIPT_NAME=\n", text);
        Assert.Contains("PATH_INFO=/env\n", text);
        Assert.Contains("QUERY_STRING=a=1\n", text);
        Assert.Contains("SERVER_PROTOCOL=HTTP/1.1\n", text);
        Assert.Contains("HTTP_X_CUSTOM=rack value\n", text);
        Assert.Contains("rack.url_scheme=http\n", text);
        Assert.Contains("rack.multithread=true\n", text);
        Assert.Contains("rack.hijack?=false\n", text);
        Assert.Contains("has_http_content_type=false\n", text);
    }

    [Theory]
    [InlineData(11)]                 // read at once into a StringIO
    [InlineData(10 * 1024 * 1024)]   // streamed through Rack::RewindableInput (a Tempfile)
    public void RackShim_PostBody_ReadRewoundAndReadAgain(int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        var r = AppHttp.Send(Port, "POST", "/echo", body, "application/octet-stream");
        Assert.Equal(200, r.Status);
        Assert.Equal($"{size} {Sha(body)} same_after_rewind=true\n", AppHttp.Text(r));
    }

    [Fact]
    public void RackShim_LargeBodyAppDoesNotRead_ResponseCompletes()
    {
        // nginx stops sending the body once the response begins and waits for its end: the shim must end the
        // response before dropping the unread rest (it used to wait for the body while nginx waited for the end).
        var body = new byte[3 * 1024 * 1024];
        var r = AppHttp.Send(Port, "POST", "/", body, "application/octet-stream");
        Assert.Equal(200, r.Status);
        Assert.Equal("Hello from the Rack test app\n", AppHttp.Text(r));
    }

    [Fact]
    public void RackShim_InputGetsAndEach_SplitAtNewlines()
    {
        var r = AppHttp.Send(Port, "POST", "/gets", "one\ntwo\nthree"u8.ToArray(), "text/plain");
        Assert.Equal(200, r.Status);
        Assert.Equal("""{"first":"one\n","rest":["two\n","three"]}""" + "\n", AppHttp.Text(r));
    }

    [Fact]
    public void RackShim_StreamingBody_AllPartsAndClosed()
    {
        static int Closed(int port) => int.Parse(AppHttp.Text(AppHttp.Get(port, "/closed")).Trim()["closed=".Length..]);
        var before = Closed(Port);
        var r = AppHttp.Get(Port, "/stream");
        Assert.Equal(200, r.Status);
        Assert.Equal("part 0\npart 1\npart 2\npart 3\npart 4\n", AppHttp.Text(r));
        Assert.Equal(before + 1, Closed(Port));
    }

    [Fact]
    public void RackShim_MultiValueHeader_OneLinePerValue()
    {
        var r = AppHttp.Get(Port, "/headers");
        Assert.Equal(200, r.Status);
        Assert.Equal(["a=1; path=/", "b=2"], r.HeaderValues("Set-Cookie").ToArray());
        Assert.Equal("yes", r.Header("X-Custom"));
    }

    [Fact]
    public void RackShim_UnknownPath_404FromApp()
    {
        var r = AppHttp.Get(Port, "/nope");
        Assert.Equal(404, r.Status);
        Assert.Equal("no route /nope\n", AppHttp.Text(r));
    }

    [Fact]
    public void RackShim_Redirect_LocationPassed()
    {
        var r = AppHttp.Get(Port, "/redirect");
        Assert.Equal(302, r.Status);
        Assert.Equal("/elsewhere", r.Header("Location"));
    }

    [Fact]
    public void RackShim_AppRaises_500AndBacktraceOnStderr()
    {
        var r = AppHttp.Get(Port, "/raise");
        Assert.Equal(500, r.Status);
        var stderr = site.Shim!.WaitForStderr("boom-from-rack-app");
        Assert.Contains("RuntimeError: boom-from-rack-app", stderr);
        Assert.Contains("rack_test_app.rb", stderr);
    }

    [Fact]
    public void RackShim_Head_NoBodyBytes()
    {
        var (head, body) = UwsgiClient.Split(UwsgiClient.Exchange(site.Shim!.Socket, UwsgiClient.Packet(UwsgiClient.Vars("HEAD", "/headers"))));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Contains("Content-Length: 8", head);
        Assert.Empty(body);
    }

    [Fact]
    public void RackShim_ChunkedBody_Decoded()
    {
        var body = new byte[300_000];
        new Random(7).NextBytes(body);
        var vars = UwsgiClient.Vars("POST", "/echo");
        vars.Remove("CONTENT_LENGTH");
        vars["HTTP_TRANSFER_ENCODING"] = "chunked";
        var raw = UwsgiClient.Exchange(site.Shim!.Socket, UwsgiClient.Packet(vars), UwsgiClient.Chunked(body, 5000).Chunk(3001).ToArray());
        Assert.Equal($"{body.Length} {Sha(body)} same_after_rewind=true\n", Encoding.ASCII.GetString(UwsgiClient.Split(raw).Body));
    }

    [Fact]
    public void RackShim_SeedConfigRu_HelloRack()
    {
        using var dir = new TempDir("nginxlite-rack-seed-");
        using var shim = ShimProcess.StartRack(Path.Combine(dir.Path, "app.sock"), dir.Path, "--rackup", Path.Combine(RepoPaths.Seed, "config.ru"));
        using var front = new NginxUwsgiFront(dir, shim.Socket);
        var r = AppHttp.Get(front.Port, "/");
        Assert.Equal(200, r.Status);
        Assert.Equal("text/plain", r.Header("Content-Type"));
        Assert.Equal("Hello, Rack!", AppHttp.Text(r));
    }

    [Fact]
    public void RackShim_BrokenConfigRu_Exit22WithErrorAndNoReady()
    {
        using var dir = new TempDir("nginxlite-rack-broken-");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var shim = ShimProcess.Launch(ShimPaths.Ruby, ShimPaths.Rack, socket, ["--rackup", ShimPaths.TestApp("rack_broken.ru")], dir.Path);
        Assert.True(shim.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(22, shim.ExitCode);
        Assert.Contains("broken-rackup-marker", shim.Stderr);
        Assert.DoesNotContain(ShimProcess.ReadyLine, shim.Stdout);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public void RackShim_MissingRackup_Exit1()
    {
        using var dir = new TempDir("nginxlite-rack-args-");
        using var shim = ShimProcess.Launch(ShimPaths.Ruby, ShimPaths.Rack, Path.Combine(dir.Path, "app.sock"), [], dir.Path);
        Assert.True(shim.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, shim.ExitCode);
    }

    [Fact]
    public void RackShim_Sigterm_ExitZeroKeepsSocketFile()
    {
        using var dir = new TempDir("nginxlite-rack-term-");
        var socket = Path.Combine(dir.Path, "app.sock");
        using var shim = ShimProcess.StartRack(socket, dir.Path, "--rackup", ShimPaths.TestApp("rack_test_app.ru"), "--threads", "3");
        Assert.StartsWith("HTTP/1.1 200 OK", Encoding.Latin1.GetString(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/")))));
        shim.Signal(PosixSignal.Hup); // ignored
        shim.Signal(PosixSignal.Term);
        Assert.True(shim.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, shim.ExitCode);
        Assert.True(File.Exists(socket));
    }
}
