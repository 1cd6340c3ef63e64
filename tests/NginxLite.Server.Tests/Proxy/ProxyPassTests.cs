using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace NginxLite.Server.Tests.Proxy;

/// <summary>proxy_pass in process, in front of a scripted loopback upstream: nginx's URI and header rules, response
/// header handling, errors and retries (the wording checked against nginx 1.22.1).</summary>
public class ProxyPassTests
{
    private static string Post(string target, string framing, string body) =>
        $"POST {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{framing}\r\n\r\n{body}";

    private static FakeUpstream Echo() => new(r => FakeUpstream.Answer.Ok("seen " + r.Target));

    [Fact]
    public async Task UriPart_ReplacesLocationPrefix_NoUriPart_PassesOriginalTarget()
    {
        await using var up = Echo();
        await using var server = await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                server_name localhost;
                location /one/ { proxy_pass http://{{up.Address}}/two/; }
                location /raw/ { proxy_pass http://{{up.Address}}; }
                location /var/ { proxy_pass http://{{up.Address}}/fixed$is_args$args; }
                location /rw/ { rewrite ^/rw/(.*)$ /new/$1 break; proxy_pass http://{{up.Address}}; }
            }
            """);
        var r = await server.SendAsync("/one/a/b?x=1");
        Assert.Equal(200, r.Status);
        Assert.Equal("seen /two/a/b?x=1", r.Body);
        Assert.Equal("seen /raw/a%2Fb/../c?q=%20", (await server.SendAsync("/raw/a%2Fb/../c?q=%20")).Body);
        Assert.Equal("seen /fixed?k=v", (await server.SendAsync("/var/anything?k=v")).Body);
        Assert.Equal("seen /new/x?y", (await server.SendAsync("/rw/x?y")).Body);
    }

    [Fact]
    public async Task RequestHead_NginxDefaults_AndSetHeaderInheritance()
    {
        await using var up = Echo();
        await using var server = await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                server_name localhost;
                proxy_set_header X-Server-Level yes;
                location /inherit/ { proxy_pass http://{{up.Address}}; }
                location /own/ {
                    proxy_pass http://{{up.Address}};
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header Accept "";
                    proxy_http_version 1.1;
                }
            }
            """);
        await server.SendAsync("/inherit/", headers: ["Keep-Alive: 300", "Upgrade: websocket", "X-Client: c"]);
        var seen = up.Last;
        Assert.Equal("GET /inherit/ HTTP/1.0", seen.RequestLine);
        Assert.Equal(("X-Server-Level", "yes"), seen.Headers[0]);
        Assert.Equal(up.Address, seen.Header("Host"));
        Assert.Equal("close", seen.Header("Connection"));
        Assert.Null(seen.Header("Keep-Alive"));
        Assert.Null(seen.Header("Upgrade"));
        Assert.Equal("c", seen.Header("X-Client"));

        await server.SendAsync("/own/", headers: ["X-Forwarded-For: 10.0.0.1", "Accept: text/html"]);
        seen = up.Last;
        Assert.Equal("GET /own/ HTTP/1.1", seen.RequestLine);
        Assert.Null(seen.Header("X-Server-Level"));
        Assert.Equal("localhost", seen.Header("Host"));
        Assert.Equal("10.0.0.1, 127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Null(seen.Header("Accept"));
        Assert.Equal(["Host", "X-Forwarded-For", "Connection"], seen.Headers.Take(3).Select(h => h.Name));
    }

    [Fact]
    public async Task Body_MethodSetBody_AndPassRequestBodyOff()
    {
        await using var up = new FakeUpstream(r => FakeUpstream.Answer.Ok($"{r.RequestLine.Split(' ')[0]} {r.Header("Content-Length")} {Encoding.Latin1.GetString(r.Body)}"));
        await using var server = await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                location /plain/ { proxy_pass http://{{up.Address}}; }
                location /set/ { proxy_pass http://{{up.Address}}; proxy_set_body "uri=$uri"; proxy_method PUT; }
                location /nobody/ { proxy_pass http://{{up.Address}}; proxy_pass_request_body off; }
            }
            """);
        Assert.Equal("POST 5 hello", (await RawExchange.SendAsync(server.Port, Post("/plain/", "Content-Length: 5", "hello"))).Body);
        Assert.Equal("PUT 9 uri=/set/", (await server.SendAsync("/set/")).Body);
        Assert.Equal("POST  ", (await RawExchange.SendAsync(server.Port, Post("/nobody/", "Content-Length: 5", "hello"))).Body);
    }

    [Fact]
    public async Task ChunkedRequestBody_BufferedByDefault_StreamedWhenOff()
    {
        await using var up = new FakeUpstream(r => FakeUpstream.Answer.Ok($"{r.Header("Content-Length")}|{r.Header("Transfer-Encoding")}|{r.Body.Length}"));
        await using var server = await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                location /buffered/ { proxy_pass http://{{up.Address}}; }
                location /stream/ { proxy_pass http://{{up.Address}}; proxy_request_buffering off; proxy_http_version 1.1; }
            }
            """);
        var big = new string('b', 40_000);
        var chunked = $"{big.Length:x}\r\n{big}\r\n3\r\nabc\r\n0\r\n\r\n";
        Assert.Equal("40003||40003", (await RawExchange.SendAsync(server.Port, Post("/buffered/", "Transfer-Encoding: chunked", chunked))).Body);
        Assert.Equal("|chunked|40003", (await RawExchange.SendAsync(server.Port, Post("/stream/", "Transfer-Encoding: chunked", chunked))).Body);
    }

    [Fact]
    public async Task ResponseHeaders_HiddenDropped_RedirectRewritten_ServerOurs()
    {
        await using var up = new FakeUpstream(r => FakeUpstream.Answer.Ok("x",
            $"Server: backend\r\nDate: Mon, 01 Jan 2001 00:00:00 GMT\r\nX-Pad: p\r\nX-Accel-Buffering: no\r\nX-Custom: kept\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Drop: d\r\nLocation: http://{r.Header("Host")}/two/landing\r\n", 302, "Found"));
        await using var server = await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                server_name localhost;
                location /one/ { proxy_pass http://{{up.Address}}/two/; proxy_hide_header X-Drop; }
                location /explicit/ { proxy_pass http://{{up.Address}}/two/; proxy_redirect http://{{up.Address}}/two/ /elsewhere/; }
                location /off/ { proxy_pass http://{{up.Address}}/two/; proxy_redirect off; }
            }
            """);
        var r = await server.SendAsync("/one/x");
        Assert.Equal(302, r.Status);
        Assert.Equal("Found", r.Reason);
        Assert.StartsWith("nginxlite", r.Header("Server"));
        Assert.NotEqual("Mon, 01 Jan 2001 00:00:00 GMT", r.Header("Date"));
        Assert.Null(r.Header("X-Pad"));
        Assert.Null(r.Header("X-Accel-Buffering"));
        Assert.Null(r.Header("X-Drop"));
        Assert.Equal("kept", r.Header("X-Custom"));
        Assert.Equal("a=1, b=2", r.Header("Set-Cookie"));
        Assert.Equal($"http://localhost:{server.Port}/one/landing", r.Header("Location"));
        Assert.Equal($"http://localhost:{server.Port}/elsewhere/landing", (await server.SendAsync("/explicit/x")).Header("Location"));
        Assert.Equal($"http://{up.Address}/two/landing", (await server.SendAsync("/off/x")).Header("Location"));
    }

    [Fact]
    public async Task InterceptErrors_UsesErrorPage_OnlyWhenOn()
    {
        await using var up = new FakeUpstream(_ => FakeUpstream.Answer.Ok("upstream 404 body", status: 404, reason: "Not Found"));
        await using var server = await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                error_page 404 /404.txt;
                location = /404.txt { return 200 "our page"; }
                location /on/ { proxy_pass http://{{up.Address}}; proxy_intercept_errors on; }
                location /off/ { proxy_pass http://{{up.Address}}; }
            }
            """);
        Assert.Equal("our page", (await server.SendAsync("/on/x")).Body);
        var passed = await server.SendAsync("/off/x");
        Assert.Equal(404, passed.Status);
        Assert.Equal("upstream 404 body", passed.Body);
    }

    [Fact]
    public async Task Faults_RefusedResetGarbageHang_502And504_WithNginxLogLines()
    {
        await using var reset = new FakeUpstream(_ => new FakeUpstream.Answer([], Reset: true));
        await using var garbage = new FakeUpstream(_ => FakeUpstream.Answer.Raw("HTTP/1.1 200 OK\r\nX\u0000: abc\r\n\r\n"));
        await using var hang = new FakeUpstream(_ => new FakeUpstream.Answer([], Hang: true));
        await using var early = new FakeUpstream(_ => FakeUpstream.Answer.Raw("HTTP/1.1 200 OK\r\n"));
        await using var server = await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                server_name localhost;
                location /refused/ { proxy_pass http://127.0.0.1:1; }
                location /reset/ { proxy_pass http://{{reset.Address}}; }
                location /garbage/ { proxy_pass http://{{garbage.Address}}; }
                location /hang/ { proxy_pass http://{{hang.Address}}; proxy_read_timeout 1s; }
                location /early/ { proxy_pass http://{{early.Address}}; }
                location /fallback/ { proxy_pass http://127.0.0.1:1; error_page 502 = @down; }
                location @down { return 200 "fallback"; }
            }
            """);
        Assert.Equal(502, (await server.SendAsync("/refused/x")).Status);
        Assert.Equal(502, (await server.SendAsync("/reset/x")).Status);
        Assert.Equal(502, (await server.SendAsync("/garbage/x")).Status);
        Assert.Equal(504, (await server.SendAsync("/hang/x")).Status);
        Assert.Equal(502, (await server.SendAsync("/early/x")).Status);
        Assert.Equal("fallback", (await server.SendAsync("/fallback/x")).Body);
        var log = server.ReadLog("error.log");
        Assert.Contains($"[error] ", log);
        Assert.Contains("connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: localhost, request: \"GET /refused/x HTTP/1.1\", upstream: \"http://127.0.0.1:1/refused/x\", host: \"localhost\"", log);
        Assert.Contains($"recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 127.0.0.1, server: localhost, request: \"GET /reset/x HTTP/1.1\", upstream: \"http://{reset.Address}/reset/x\"", log);
        Assert.Contains("upstream sent invalid header: \"X\\x00...\" while reading response header from upstream", log);
        Assert.Contains($"upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: localhost, request: \"GET /hang/x HTTP/1.1\", upstream: \"http://{hang.Address}/hang/x\"", log);
        Assert.Contains("upstream prematurely closed connection while reading response header from upstream", log);
    }

    [Fact]
    public async Task ErrorLog_HostField_IsTheHeaderAsSent_WithPort()
    {
        // ngx_http_log_error_handler prints r->headers_in.host's value: "Example.COM:8080" stays as sent, while
        // $host (and server_name matching) sees "example.com".
        await using var server = await TestServer.StartAsync("""
            server {
                listen 127.0.0.1:PORT;
                server_name example.com;
                location / { proxy_pass http://127.0.0.1:1; }
            }
            """);
        Assert.Equal(502, (await server.SendAsync("/x", host: "Example.COM:8080")).Status);
        var log = server.ReadLog("error.log");
        Assert.Contains("server: example.com, request: \"GET /x HTTP/1.1\", upstream: \"http://127.0.0.1:1/x\", host: \"Example.COM:8080\"", log);
    }

    [Fact]
    public async Task ResetMidBody_ClientConnectionCut_Logged()
    {
        await using var up = new FakeUpstream(_ => new FakeUpstream.Answer(Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + new string('x', 1000)), ResetAfterBytes: true));
        await using var server = await TestServer.StartAsync($$"""
            server { listen 127.0.0.1:PORT; location / { proxy_pass http://{{up.Address}}; } }
            """);
        var r = await RawExchange.SendAsync(server.Port, "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, r.Status);
        Assert.Equal(1000, r.Body.Length);
        await Task.Delay(200);
        Assert.Contains("recv() failed (104: Connection reset by peer) while reading upstream", server.ReadLog("error.log"));
    }

    [Fact]
    public async Task UpstreamGroup_NextUpstream_SkipsDeadPeer_AndStatusRetry()
    {
        await using var live = Echo();
        await using var failing = new FakeUpstream(_ => FakeUpstream.Answer.Ok("busy", status: 503, reason: "Service Unavailable"));
        await using var server = await TestServer.StartAsync($$"""
            log_format up "$upstream_addr|$upstream_status|$upstream_connect_time|$upstream_header_time";
            upstream pool { server 127.0.0.1:1; server {{live.Address}}; }
            upstream flaky { server {{failing.Address}}; server {{live.Address}} backup; }
            server {
                listen 127.0.0.1:PORT;
                access_log logs/up.log up;
                location /pool/ { proxy_pass http://pool; }
                location /flaky/ { proxy_pass http://flaky; proxy_next_upstream error timeout http_503; }
                location /noretry/ { proxy_pass http://flaky; }
            }
            """);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("seen /pool/x", (await server.SendAsync("/pool/x")).Body);
        }

        Assert.Equal("seen /flaky/y", (await server.SendAsync("/flaky/y")).Body);
        await Task.Delay(100);
        var log = server.ReadLog("up.log");
        // A refused connect has neither a connect nor a header time: nginx prints "-" for them.
        Assert.Matches($@"127\.0\.0\.1:1, {Regex.Escape(live.Address)}\|502, 200\|-, \d+\.\d{{3}}\|-, \d+\.\d{{3}}", log);
        Assert.Matches($@"{Regex.Escape(failing.Address)}, {Regex.Escape(live.Address)}\|503, 200\|\d+\.\d{{3}}, \d+\.\d{{3}}\|\d+\.\d{{3}}, \d+\.\d{{3}}", log);
        Assert.Equal(1, server.ReadLog("error.log").Split('\n').Count(l => l.Contains("connect() failed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Keepalive_ReusesUpstreamConnection_WhenConnectionHeaderCleared()
    {
        await using var up = Echo();
        await using var server = await TestServer.StartAsync($$"""
            upstream ka { server {{up.Address}}; keepalive 4; }
            server {
                listen 127.0.0.1:PORT;
                location /ka/ { proxy_pass http://ka; proxy_http_version 1.1; proxy_set_header Connection ""; }
                location /close/ { proxy_pass http://ka; }
            }
            """);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("seen /ka/" + i, (await server.SendAsync("/ka/" + i)).Body);
        }

        Assert.Equal(1, up.Connections);
        // A request that sends "Connection: close" may still take the cached connection (as nginx's keepalive module
        // does), but never puts one back.
        await server.SendAsync("/close/x");
        await server.SendAsync("/close/y");
        Assert.Equal(2, up.Connections);
    }

    [Fact]
    public async Task ResponseBodies_ChunkedAndUntilClose_StreamedWhole()
    {
        await using var up = new FakeUpstream(r => r.Target switch
        {
            "/chunked" => FakeUpstream.Answer.Raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", close: false),
            _ => FakeUpstream.Answer.Raw("HTTP/1.0 200 OK\r\n\r\nuntil close"),
        });
        await using var server = await TestServer.StartAsync($$"""
            server { listen 127.0.0.1:PORT; location / { proxy_pass http://{{up.Address}}; } }
            """);
        Assert.Equal("hello world", RawExchange.Dechunk((await server.SendAsync("/chunked")).Body));
        Assert.Equal("until close", RawExchange.Dechunk((await server.SendAsync("/close")).Body));
    }

    [Theory]
    [InlineData("5\r\nhello\r\n1")]
    [InlineData("5\r\nhello\r")]
    [InlineData("5\r\nhel")]
    public async Task ChunkedResponse_SplitInsideFraming_Completes(string firstPart)
    {
        const string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        const string body = "5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n";
        await using var up = new FakeUpstream(_ => new FakeUpstream.Answer(Encoding.Latin1.GetBytes(head + body), Close: true) { SplitAt = head.Length + firstPart.Length });
        await using var server = await TestServer.StartAsync($$"""
            server { listen 127.0.0.1:PORT; location / { proxy_pass http://{{up.Address}}; proxy_buffering off; } }
            """);
        Assert.Equal("hello!", RawExchange.Dechunk((await server.SendAsync("/split")).Body));
    }

    [Fact]
    public async Task UnixSocketUpstream_WithUriPart()
    {
        var path = Path.Combine(Path.GetTempPath(), "nginxlite-proxy-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        var serve = Task.Run(async () =>
        {
            using var s = await listener.AcceptAsync();
            var buffer = new byte[4096];
            var n = await s.ReceiveAsync(buffer);
            var line = Encoding.Latin1.GetString(buffer, 0, n).Split("\r\n")[0];
            var host = Encoding.Latin1.GetString(buffer, 0, n).Split("\r\n").First(l => l.StartsWith("Host:", StringComparison.Ordinal));
            var body = line + " " + host;
            await s.SendAsync(Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        });
        try
        {
            await using var server = await TestServer.StartAsync($$"""
                server { listen 127.0.0.1:PORT; location /app/ { proxy_pass http://unix:{{path}}:/base/; } }
                """);
            Assert.Equal("GET /base/x HTTP/1.0 Host: localhost", (await server.SendAsync("/app/x")).Body);
            await serve;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
