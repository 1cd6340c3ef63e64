using System.Net.Sockets;

namespace NginxLite.Server.Tests;

public class RewriteAndServerTests
{
    private const string Config = """
        server {
            listen 127.0.0.1:PORT;
            server_name a.test;
            server_tokens off;
            rewrite ^/old/(.*)$ /new/$1 last;
            location /new/ { return 200 "new $uri $args"; }
            location /perm { rewrite ^ /target permanent; }
            location /loop { rewrite ^ /loop2 last; }
            location /loop2 { rewrite ^ /loop last; }
            location /if { if ($arg_x = 1) { return 201 one; } return 200 other; }
            location /ret { return 301 /elsewhere; }
            location /close { return 444; }
            location /teapot { return 418; }
            location /vars { return 200 "a=[$arg_a] b=[$arg_B] c=[$cookie_c] d=[$cookie_d]"; }
        }
        server {
            listen 127.0.0.1:PORT default_server;
            server_name *.b.test;
            location / { return 200 "server b $host"; }
        }
        """;

    [Fact]
    public async Task Rewrite_Last_FindsNewLocation()
    {
        await using var s = await TestServer.StartAsync(Config);
        var r = await s.SendAsync("/old/x?q=1", host: "a.test");
        Assert.Equal("new /new/x q=1", r.Body);
        Assert.Equal("nginxlite", r.Header("Server"));
    }

    [Fact]
    public async Task Rewrite_Permanent_Returns301Absolute()
    {
        await using var s = await TestServer.StartAsync(Config);
        var r = await s.SendAsync("/perm", host: "a.test");
        Assert.Equal(301, r.Status);
        Assert.Equal($"http://a.test:{s.Port}/target", r.Header("Location"));
        Assert.Contains("<hr><center>nginxlite</center>", r.Body);
    }

    [Fact]
    public async Task Rewrite_Cycle_Returns500()
    {
        await using var s = await TestServer.StartAsync(Config);
        Assert.Equal(500, (await s.SendAsync("/loop", host: "a.test")).Status);
        Assert.Contains("rewrite or internal redirection cycle", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task Variables_ArgAndCookie_FirstMatchCaseRulesAndMissingEmpty()
    {
        await using var s = await TestServer.StartAsync(Config);
        // As nginx 1.22.1 answers: $arg_ and $cookie_ names compare case-insensitively, the first pair wins,
        // a bare key is empty, spaces around cookie pairs are skipped.
        var r = await s.SendAsync("/vars?x=1&A=first&a=second&b", host: "a.test", headers: "Cookie: C=upper;  c=lower ; d=");
        Assert.Equal("a=[first] b=[] c=[upper] d=[]", r.Body);
        Assert.Equal("a=[] b=[] c=[] d=[]", (await s.SendAsync("/vars", host: "a.test")).Body);
    }

    [Fact]
    public async Task If_Argument_SelectsReturn()
    {
        await using var s = await TestServer.StartAsync(Config);
        Assert.Equal((201, "one"), await Get(s, "/if?x=1"));
        Assert.Equal((200, "other"), await Get(s, "/if?x=2"));
    }

    [Fact]
    public async Task Return_444_ClosesWithoutResponse()
    {
        await using var s = await TestServer.StartAsync(Config);
        await Assert.ThrowsAnyAsync<Exception>(() => s.SendAsync("/close", host: "a.test"));
    }

    [Fact]
    public async Task Return_CodeWithoutPage_HasEmptyBody()
    {
        await using var s = await TestServer.StartAsync(Config);
        var r = await s.SendAsync("/teapot", host: "a.test");
        Assert.Equal((418, ""), (r.Status, r.Body));
    }

    [Theory]
    [InlineData("x.b.test", "server b x.b.test")]
    [InlineData("A.TEST", "new /new/ ")]
    [InlineData("unknown.test", "server b unknown.test")]
    public async Task ServerName_Host_SelectsServer(string host, string body)
    {
        await using var s = await TestServer.StartAsync(Config);
        var target = host == "A.TEST" ? "/old/" : "/";
        Assert.Equal(body, (await s.SendAsync(target, host: host)).Body);
    }

    [Theory]
    [InlineData("a..test")]
    [InlineData("a/b")]
    public async Task ServerName_InvalidHost_Returns400(string host)
    {
        await using var s = await TestServer.StartAsync(Config);
        Assert.Equal(400, (await s.SendAsync("/", host: host)).Status);
    }

    [Fact]
    public async Task Reload_NewTable_SwapsResponsesAndSockets()
    {
        await using var s = await TestServer.StartAsync(Config);
        var port2 = TestServer.FreePort();
        var text = $"events {{}}\nhttp {{ server {{ listen 127.0.0.1:{port2}; return 200 reloaded; }} }}";
        var load = Routing.Compilation.RouteTableLoader.LoadText(text, s.Prefix);
        await s.Server.ReloadAsync(load.Table!);
        var r = await RawResponse.SendAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port2), "GET / HTTP/1.0\r\n\r\n");
        Assert.Equal("reloaded", r.Body);
        await Assert.ThrowsAnyAsync<SocketException>(() => s.SendAsync("/", host: "a.test"));
    }

    [Fact]
    public async Task Listen_UnixSocket_Serves()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nl-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var sock = Path.Combine(dir, "s.sock");
        await using var s = await TestServer.StartAsync($"server {{ listen unix:{sock}; return 200 unix-ok; }}");
        var r = await RawResponse.SendAsync(new UnixDomainSocketEndPoint(sock), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal("unix-ok", r.Body);
    }

    private static async Task<(int, string)> Get(TestServer s, string target)
    {
        var r = await s.SendAsync(target, host: "a.test");
        return (r.Status, r.Body);
    }
}
