using System.Net;
using System.Text.RegularExpressions;

namespace NginxLite.Server.Tests.CgiUpstream;

/// <summary>
/// uwsgi_next_upstream (and through the shared CgiUpstreamHandler, fastcgi_next_upstream) on a status, in process in
/// front of scripted uwsgi servers: the listed status drops the response for the next peer (ngx_http_upstream_test_next),
/// the last peer's response goes to the client as it is, 403/404 do not count toward max_fails, POST needs
/// non_idempotent, and every attempt is in the $upstream_* variables.
/// </summary>
public class CgiNextUpstreamTests
{
    private const string LogFormat =
        "log_format up \"$uri $upstream_addr|$upstream_status|$upstream_response_length|$upstream_connect_time|$upstream_header_time|$upstream_response_time\";";

    private static ScriptedUwsgiUpstream Answering(int status, string body) => new(_ => ScriptedUwsgiUpstream.Http(status, body));

    /// <summary>A server logging <see cref="LogFormat"/> to up.log, with <paramref name="locations"/> and two upstream
    /// groups of the same peers, g1 and g2 (each keeps its own max_fails state).</summary>
    private static Task<TestServer> StartAsync(string[] peers, string locations)
    {
        var servers = string.Join(" ", peers.Select(p => $"server {p};"));
        return TestServer.StartAsync($$"""
            {{LogFormat}}
            upstream g1 { {{servers}} }
            upstream g2 { {{servers}} }
            server {
                listen 127.0.0.1:PORT;
                access_log logs/up.log up;
                {{locations}}
            }
            """);
    }

    private static string Post(string target) =>
        $"POST {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbody";

    /// <summary>The access-log line of <paramref name="uri"/>, waited for (the log is written after the response).</summary>
    private static async Task<string> LogLineAsync(TestServer server, string uri)
    {
        for (var i = 0; i < 100; i++)
        {
            var line = server.ReadLog("up.log").Split('\n').FirstOrDefault(l => l.StartsWith(uri + " ", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(uri.Length + 1)..];
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"no access-log line for {uri}:\n{server.ReadLog("up.log")}");
    }

    [Fact]
    public async Task UwsgiNextUpstream_Http503_NextPeerAnswersAndFirstPeerMarkedFailed()
    {
        await using var busy = Answering(503, "busy a");
        await using var good = Answering(200, "ok b");
        await using var server = await StartAsync([busy.Address, good.Address],
            "location / { uwsgi_pass g1; uwsgi_next_upstream error timeout http_503; }");
        for (var i = 0; i < 4; i++)
        {
            var r = await server.SendAsync("/r" + i);
            Assert.Equal(200, r.Status);
            Assert.Equal("ok b", r.Body);
        }

        // 503 counts toward max_fails (1): after the first request the busy peer is skipped for fail_timeout.
        Assert.Equal(1, busy.Requests);
        Assert.Equal(4, good.Requests);
        Assert.Matches(
            $@"^{Regex.Escape(busy.Address)}, {Regex.Escape(good.Address)}\|503, 200\|0, 4\|\d\.\d{{3}}, \d\.\d{{3}}\|\d\.\d{{3}}, \d\.\d{{3}}\|\d\.\d{{3}}, \d\.\d{{3}}$",
            await LogLineAsync(server, "/r0"));
        Assert.Equal($"{good.Address}|200|4", string.Join('|', (await LogLineAsync(server, "/r1")).Split('|').Take(3)));
    }

    [Fact]
    public async Task UwsgiNextUpstream_Http404_NextPeerAnswersWithoutMarkingFailure()
    {
        await using var missing = Answering(404, "not here");
        await using var good = Answering(200, "ok b");
        await using var server = await StartAsync([missing.Address, good.Address],
            "location / { uwsgi_pass g1; uwsgi_next_upstream error http_404; }");
        for (var i = 0; i < 6; i++)
        {
            var r = await server.SendAsync("/r" + i);
            Assert.Equal(200, r.Status);
            Assert.Equal("ok b", r.Body);
        }

        // NGX_PEER_NEXT, not NGX_PEER_FAILED: round robin keeps picking the 404 peer.
        Assert.True(missing.Requests > 1, $"404 peer asked {missing.Requests} times");
        Assert.Equal(6, good.Requests);
    }

    [Fact]
    public async Task UwsgiNextUpstream_StatusNotListedOrNoTriesLeft_ResponsePassedAsIs()
    {
        await using var busy = Answering(503, "busy a");
        await using var good = Answering(200, "ok b");
        await using var server = await StartAsync([busy.Address, good.Address], """
            location /unlisted/ { uwsgi_pass g1; uwsgi_next_upstream error timeout http_500; }
            location /tries/ { uwsgi_pass g2; uwsgi_next_upstream http_503; uwsgi_next_upstream_tries 1; }
            """);
        foreach (var path in new[] { "/unlisted/x", "/tries/x" })
        {
            var r = await server.SendAsync(path);
            Assert.Equal(503, r.Status);
            Assert.Equal("busy a", r.Body);
        }

        Assert.Equal(0, good.Requests);
    }

    [Fact]
    public async Task UwsgiNextUpstream_EveryPeerAnswers503_LastResponseGoesToClient()
    {
        await using var first = Answering(503, "busy a");
        await using var last = Answering(503, "busy c");
        await using var server = await StartAsync([first.Address, last.Address],
            "location / { uwsgi_pass g1; uwsgi_next_upstream http_503; }");
        var r = await server.SendAsync("/x");
        Assert.Equal(503, r.Status);
        Assert.Equal("busy c", r.Body);
        Assert.StartsWith($"{first.Address}, {last.Address}|503, 503|0, 6|", await LogLineAsync(server, "/x"));
    }

    [Fact]
    public async Task UwsgiNextUpstream_Post_RetriedOnlyWithNonIdempotent()
    {
        await using var busy = Answering(503, "busy a");
        await using var good = Answering(200, "ok b");
        await using var server = await StartAsync([busy.Address, good.Address], """
            location /idem/ { uwsgi_pass g1; uwsgi_next_upstream http_503; }
            location /any/ { uwsgi_pass g2; uwsgi_next_upstream http_503 non_idempotent; }
            """);
        var endpoint = new IPEndPoint(IPAddress.Loopback, server.Port);
        var kept = await RawResponse.SendAsync(endpoint, Post("/idem/x"));
        Assert.Equal(503, kept.Status);
        Assert.Equal("busy a", kept.Body);
        var retried = await RawResponse.SendAsync(endpoint, Post("/any/x"));
        Assert.Equal(200, retried.Status);
        Assert.Equal("ok b", retried.Body);
        Assert.Equal(1, good.Requests);
    }

    [Fact]
    public async Task UwsgiPass_DeadPeerThenGood_VariablesHaveBothAttempts()
    {
        await using var good = Answering(200, "ok b");
        await using var server = await StartAsync(["127.0.0.1:1", good.Address], $$"""
            location / { uwsgi_pass g1; }
            location /single/ { uwsgi_pass {{good.Address}}; }
            """);
        Assert.Equal("ok b", (await server.SendAsync("/x")).Body);
        Assert.Equal("ok b", (await server.SendAsync("/single/y")).Body);

        // A connect that failed has no connect or header time ("-"), as nginx prints an unset time.
        Assert.Matches(
            $@"^127\.0\.0\.1:1, {Regex.Escape(good.Address)}\|502, 200\|0, 4\|-, \d\.\d{{3}}\|-, \d\.\d{{3}}\|\d\.\d{{3}}, \d\.\d{{3}}$",
            await LogLineAsync(server, "/x"));
        Assert.Matches($@"^{Regex.Escape(good.Address)}\|200\|4\|\d\.\d{{3}}\|\d\.\d{{3}}\|\d\.\d{{3}}$", await LogLineAsync(server, "/single/y"));
    }
}
