using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.TestSupport;

namespace NginxLite.Server.Tests.Cgi;

/// <summary>RFC 3875 end to end: meta-variables, body on stdin, Status/Location/NPH, errors, stderr, timeouts.</summary>
public class CgiProtocolTests
{
    private static readonly string Location = $$"""
        location /cgi-bin/ {
            cgi on;
            cgi_user {{TestUsers.Cgi}};
            cgi_timeout 2s;
            cgi_param SITE_NAME "site-$host";
            cgi_interpreter .py /usr/bin/python3;
        }
        location /static/ { }
        """;

    private const string Echo = "#!/bin/sh\necho 'Content-Type: text/plain'\necho\ncat";

    [Fact]
    public async Task MetaVariables_FollowRfc3875()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        var path = CgiFixture.Script(s, "cgi-bin/env.cgi", CgiFixture.IdScript);
        var r = await s.SendAsync("/cgi-bin/env.cgi/extra/path?a=1&b=2", "GET", "localhost",
            "X-Custom-Thing: yes", "Proxy: http://evil.example:3128", "Content-Type: text/x-test");
        Assert.Equal(200, r.Status);
        var v = CgiFixture.Vars(r.Text());
        Assert.Equal("CGI/1.1", v["GATEWAY_INTERFACE"]);
        Assert.Equal("nginxlite", v["SERVER_SOFTWARE"]);
        Assert.Equal("localhost", v["SERVER_NAME"]);
        Assert.Equal(s.Port.ToString(), v["SERVER_PORT"]);
        Assert.Equal("HTTP/1.1", v["SERVER_PROTOCOL"]);
        Assert.Equal("GET", v["REQUEST_METHOD"]);
        Assert.Equal("/cgi-bin/env.cgi", v["SCRIPT_NAME"]);
        Assert.Equal(path, v["SCRIPT_FILENAME"]);
        Assert.Equal("/extra/path", v["PATH_INFO"]);
        Assert.Equal(Path.Combine(s.Prefix, "html") + "/extra/path", v["PATH_TRANSLATED"]);
        Assert.Equal("a=1&b=2", v["QUERY_STRING"]);
        Assert.Equal("127.0.0.1", v["REMOTE_ADDR"]);
        Assert.True(int.Parse(v["REMOTE_PORT"]) > 0);
        Assert.Equal("text/x-test", v["CONTENT_TYPE"]);
        Assert.Equal(Path.Combine(s.Prefix, "html"), v["DOCUMENT_ROOT"]);
        Assert.Equal("/cgi-bin/env.cgi/extra/path?a=1&b=2", v["REQUEST_URI"]);
        Assert.Equal("yes", v["HTTP_X_CUSTOM_THING"]);
        Assert.Equal("localhost", v["HTTP_HOST"]);
        Assert.Equal("site-localhost", v["SITE_NAME"]);
        Assert.False(v.ContainsKey("HTTP_PROXY")); // httpoxy
        Assert.False(v.ContainsKey("HTTPS"));
        Assert.False(v.ContainsKey("CONTENT_LENGTH"));
        Assert.Equal("/usr/local/bin:/usr/bin:/bin", v["PATH"]);
    }

    [Fact]
    public async Task PostBody_StreamsToStdin()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/echo.cgi", Echo);
        var body = new string('x', 200_000) + "end";
        var r = await Raw(s, $"POST /cgi-bin/echo.cgi HTTP/1.1\r\nHost: localhost\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
        Assert.Equal(200, r.Status);
        Assert.Equal(body, r.Text());
    }

    [Fact]
    public async Task ChunkedBody_IsDechunkedWithContentLength()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/len.cgi", "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"len=$CONTENT_LENGTH\"\ncat");
        var r = await Raw(s, "POST /cgi-bin/len.cgi HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        Assert.Equal("len=11\nhello world", r.Text());
    }

    [Fact]
    public async Task StatusHeader_SetsStatusAndBody()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/s.cgi", "#!/bin/sh\nprintf 'Status: 418 Teapot Here\\r\\nContent-Type: text/plain\\r\\nX-Extra: 1\\r\\n\\r\\nshort and stout'");
        var r = await s.SendAsync("/cgi-bin/s.cgi");
        Assert.Equal(418, r.Status);
        Assert.Equal("Teapot Here", r.Reason);
        Assert.Equal("1", r.Header("X-Extra"));
        Assert.Equal("text/plain", r.Header("Content-Type"));
        Assert.Equal("short and stout", r.Text());
    }

    [Fact]
    public async Task LocalLocation_IsAnInternalRedirect()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        File.WriteAllText(Path.Combine(s.Prefix, "html/target.txt"), "redirected here\n");
        CgiFixture.Script(s, "cgi-bin/l.cgi", "#!/bin/sh\necho 'Location: /target.txt'\necho\necho ignored");
        var r = await Raw(s, "POST /cgi-bin/l.cgi HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab");
        Assert.Equal(200, r.Status);
        Assert.Equal("redirected here\n", r.Text());
        Assert.Null(r.Header("Location"));
    }

    [Fact]
    public async Task LocalLocation_ToAnotherScript_RunsItAsGet()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/first.cgi", "#!/bin/sh\necho 'Location: /cgi-bin/second.cgi?from=first'\necho");
        CgiFixture.Script(s, "cgi-bin/second.cgi", "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REQUEST_METHOD $QUERY_STRING\"");
        var r = await Raw(s, "POST /cgi-bin/first.cgi HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        Assert.Equal("GET from=first\n", r.Text());
    }

    [Fact]
    public async Task UrlLocation_Is302()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/u.cgi", "#!/bin/sh\necho 'Location: http://example.com/x'\necho");
        var r = await s.SendAsync("/cgi-bin/u.cgi");
        Assert.Equal(302, r.Status);
        Assert.Equal("http://example.com/x", r.Header("Location"));
    }

    [Fact]
    public async Task NphScript_SendsItsOwnStatusLine()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/nph-test.cgi", "#!/bin/sh\nprintf 'HTTP/1.1 202 Taken\\r\\nContent-Type: text/plain\\r\\n\\r\\nnph body'");
        var r = await s.SendAsync("/cgi-bin/nph-test.cgi");
        Assert.Equal(202, r.Status);
        Assert.Equal("Taken", r.Reason);
        Assert.Equal("nph body", r.Text());
    }

    [Fact]
    public async Task NoHeaders_Is502WithReason()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/bad.cgi", "#!/bin/sh\necho '<html>no header</html>'");
        var r = await s.SendAsync("/cgi-bin/bad.cgi");
        Assert.Equal(502, r.Status);
        Assert.Contains("upstream sent invalid header while reading response header from upstream", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task ExitBeforeHeaders_Is502WithExitStatus()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/exit.cgi", "#!/bin/sh\necho 'oops' >&2\nexit 3");
        var r = await s.SendAsync("/cgi-bin/exit.cgi");
        Assert.Equal(502, r.Status);
        var log = s.ReadLog("error.log");
        Assert.Contains("upstream prematurely closed connection while reading response header from upstream", log);
        Assert.Contains("wrote no output, exit status 3", log);
        Assert.Contains("sent in stderr: \"oops\"", log);
    }

    [Fact]
    public async Task Stderr_EachLineToTheErrorLog()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/err.cgi", "#!/bin/sh\necho 'first problem' >&2\necho 'Content-Type: text/plain'\necho\necho ok\necho 'second problem' >&2");
        var r = await s.SendAsync("/cgi-bin/err.cgi");
        Assert.Equal(200, r.Status);
        var log = s.ReadLog("error.log");
        Assert.Contains("[error]", log);
        Assert.Contains("sent in stderr: \"first problem\"", log);
        Assert.Contains("sent in stderr: \"second problem\"", log);
    }

    [Fact]
    public async Task Interpreter_RunsANonExecutablePythonScript()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/app.py", "print('Content-Type: text/plain')\nprint()\nprint('from python')", (UnixFileMode)0b110_100_100);
        var r = await s.SendAsync("/cgi-bin/app.py");
        Assert.Equal(200, r.Status);
        Assert.Equal("from python\n", r.Text());
    }

    [Fact]
    public async Task SeedHelloCgi_AsIs()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        var path = Path.Combine(s.Prefix, "html/cgi-bin/hello.cgi");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(Path.Combine(RepoPaths.Seed, "hello.cgi"), path);
        File.SetUnixFileMode(path, CgiFixture.Executable);
        var r = await s.SendAsync("/cgi-bin/hello.cgi");
        Assert.Equal(200, r.Status);
        Assert.Equal("text/html", r.Header("Content-Type"));
        Assert.Contains("<h1>Hello, CGI!</h1>", r.Text());
    }

    [Fact]
    public async Task Timeout_Is504AndKillsTheProcessGroup()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        var pids = Path.Combine(s.Prefix, "pids");
        Directory.CreateDirectory(pids);
        File.SetUnixFileMode(pids, (UnixFileMode)0b111_111_111);
        CgiFixture.Script(s, "cgi-bin/slow.cgi", $"#!/bin/sh\nsleep 300 &\necho $! > {pids}/child\necho $$ > {pids}/self\nsleep 300");
        var watch = Stopwatch.StartNew();
        var r = await s.SendAsync("/cgi-bin/slow.cgi");
        Assert.Equal(504, r.Status);
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.5, 8);
        Assert.Contains("upstream timed out (110: Connection timed out) while reading response header from upstream", s.ReadLog("error.log"));
        await AssertGoneAsync(File.ReadAllText(Path.Combine(pids, "child")).Trim());
        await AssertGoneAsync(File.ReadAllText(Path.Combine(pids, "self")).Trim());
    }

    [Fact]
    public async Task ClientDisconnect_KillsTheProcessGroup()
    {
        await using var s = await CgiFixture.StartAsync(Location.Replace("cgi_timeout 2s", "cgi_timeout 60s", StringComparison.Ordinal));
        var pids = Path.Combine(s.Prefix, "pids");
        Directory.CreateDirectory(pids);
        File.SetUnixFileMode(pids, (UnixFileMode)0b111_111_111);
        CgiFixture.Script(s, "cgi-bin/hang.cgi", $"#!/bin/sh\nsleep 300 &\necho $! > {pids}/child\nsleep 300");
        using (var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await c.ConnectAsync(IPAddress.Loopback, s.Port);
            await c.SendAsync(Encoding.ASCII.GetBytes("GET /cgi-bin/hang.cgi HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            await WaitForAsync(() => File.Exists(Path.Combine(pids, "child")) && File.ReadAllText(Path.Combine(pids, "child")).Trim().Length > 0);
        }

        await AssertGoneAsync(File.ReadAllText(Path.Combine(pids, "child")).Trim());
    }

    [Fact]
    public async Task Output_IsStreamedBeforeTheScriptEnds()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/stream.cgi", "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho first\nsleep 1.5\necho second");
        using var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await c.ConnectAsync(IPAddress.Loopback, s.Port);
        await c.SendAsync(Encoding.ASCII.GetBytes("GET /cgi-bin/stream.cgi HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains("first", StringComparison.Ordinal))
        {
            var n = await c.ReceiveAsync(buffer);
            Assert.True(n > 0);
            seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        // "first" arrived without "second": the script was still sleeping (no timing assertion: the machine may be loaded).
        Assert.DoesNotContain("second", seen.ToString());
    }

    [Fact]
    public async Task CgiOff_InANestedLocation_ServesTheFileItself()
    {
        await using var s = await CgiFixture.StartAsync($"location /cgi-bin/ {{ cgi on; cgi_user {TestUsers.Cgi}; location /cgi-bin/src/ {{ cgi off; }} }}");
        CgiFixture.Script(s, "cgi-bin/src/show.cgi", "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho ran");
        var r = await s.SendAsync("/cgi-bin/src/show.cgi");
        Assert.Equal(200, r.Status);
        Assert.StartsWith("#!/bin/sh", r.Text());
    }

    private static Task<RawResponse> Raw(TestServer s, string request) =>
        RawResponse.SendAsync(new IPEndPoint(IPAddress.Loopback, s.Port), request);

    private static async Task AssertGoneAsync(string pid)
    {
        await WaitForAsync(() => Gone(pid));
    }

    /// <summary>No such process, or a zombie; a process that vanishes between the exists check and the read is gone too
    /// (reading /proc/PID/status then fails with ESRCH).</summary>
    private static bool Gone(string pid)
    {
        try
        {
            return !File.Exists($"/proc/{pid}/status") || File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(50);
        }
    }
}
