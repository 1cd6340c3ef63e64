using System.Diagnostics;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Servers;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams.NoLive;

/// <summary>
/// Retries that find no peer left, differential: nginx 1.22.1 and nginxlite get the same requests in the same order
/// (each front end keeps its own max_fails marks) and must give the same status and body, the same access-log line
/// ($upstream_addr|$upstream_status|$upstream_response_length) and the same error-log lines ([level], message and
/// request context; time, pid and connection number cut). nginx's lines are also pinned: in 1.22 a group whose
/// peers are all failed stays "no live upstreams" until fail_timeout (no "all peers failed" reset), `down` servers
/// do not count in the tries, and a retry that finds none left logs "no live upstreams", adds the group's name to
/// $upstream_addr and answers 502 whatever the attempt before answered (ngx_http_upstream_next, FT_NOLIVE).
/// </summary>
public sealed class NoLiveUpstreamsTests(NoLiveUpstreamsSite site) : IClassFixture<NoLiveUpstreamsSite>
{
    [Theory]
    // Two dead peers: the first request tries both, the next ones find both failed.
    [InlineData("/dead2/1 /dead2/2 /dead2/3", "/dead2/1 502 D1, D2|502, 502|0, 0 ~ /dead2/2 502 dead2|502|0 ~ /dead2/3 502 dead2|502|0")]
    // D1 failed by a request without retries; the next one fails D2, and its retry finds no peer left.
    [InlineData("/xoff/1 /xon/2 /xon/3", "/xoff/1 502 D1|502|0 ~ /xon/2 502 D2, x|502, 502|0, 0 ~ /xon/3 502 x|502|0")]
    // A 503 retried (http_503) with the other peer failed: 502, not the upstream's 503.
    [InlineData("/zoff/1 /zoff/2 /zon/3 /zon/4", "/zoff/1 503 S|503|5 ~ /zoff/2 502 D1|502|0 ~ /zon/3 502 S, z|503, 502|0, 0 ~ /zon/4 502 z|502|0")]
    // A read timeout retried (timeout) with the other peer failed: 502, not 504 (the timeout stays in $upstream_status).
    [InlineData("/hxoff/1 /hxon/2 /hxon/3", "/hxoff/1 502 D1|502|0 ~ /hxon/2 502 H, hx|504, 502|0, 0 ~ /hxon/3 502 hx|502|0")]
    // The primary failed earlier, the dead backup is tried, then nothing is left.
    [InlineData("/woff/1 /won/2 /won/3", "/woff/1 502 D1|502|0 ~ /won/2 502 D3, w|502, 502|0, 0 ~ /won/3 502 w|502|0")]
    // A `down` server is not a try: no retry after the only live one, no "no live upstreams" line then.
    [InlineData("/down/1 /down/2 /down/3", "/down/1 502 D1|502|0 ~ /down/2 502 down|502|0 ~ /down/3 502 down|502|0")]
    // One dead, one live: proxy_next_upstream_tries 1 gives up after the dead one, 0 (no limit) goes on.
    [InlineData("/t1/1 /t1/2 /t1/3", "/t1/1 502 D1|502|0 ~ /t1/2 200 L|200|5 ~ /t1/3 200 L|200|5")]
    [InlineData("/t0/1 /t0/2 /t0/3", "/t0/1 200 D1, L|502, 200|0, 5 ~ /t0/2 200 L|200|5 ~ /t0/3 200 L|200|5")]
    // A live backup after a dead primary; then the backup alone while the primary is failed.
    [InlineData("/lb/1 /lb/2 /lb/3", "/lb/1 200 D1, L|502, 200|0, 5 ~ /lb/2 200 L|200|5 ~ /lb/3 200 L|200|5")]
    // One peer (implicit or an upstream block): never marked failed (peers->single), no warning, tried every time.
    [InlineData("/single/1 /single/2 /one/1 /one/2", "/single/1 502 D2|502|0 ~ /single/2 502 D2|502|0 ~ /one/1 502 D3|502|0 ~ /one/2 502 D3|502|0")]
    // A 502 retried (http_502) onto a dead peer: nginx's own 502; then no live upstreams.
    [InlineData("/bad/1 /bad/2 /bad/3", "/bad/1 502 B, D1|502, 502|0, 0 ~ /bad/2 502 bad|502|0 ~ /bad/3 502 bad|502|0")]
    // The dead peer first: the 502 of the last try is relayed as it is (no try left) and not counted as a failure;
    // the next request still has two tries (the failed peer counts), so its 502 is retried and finds none left.
    [InlineData("/bad2/1 /bad2/2 /bad2/3", "/bad2/1 502 D1, B|502, 502|0, 4 ~ /bad2/2 502 B, bad2|502, 502|0, 0 ~ /bad2/3 502 bad2|502|0")]
    // proxy_next_upstream_tries above the number of servers: still two tries, no "no live upstreams" after them.
    [InlineData("/tries5/1 /tries5/2", "/tries5/1 502 D1, D2|502, 502|0, 0 ~ /tries5/2 502 tries5|502|0")]
    // max_fails=3, weight 1: a failure takes weight / max_fails = 0 from the effective weight (integer division), so
    // the dead peer's turn comes back on the third request.
    [InlineData("/mf3/1 /mf3/2 /mf3/3", "/mf3/1 200 D1, L|502, 200|0, 5 ~ /mf3/2 200 L|200|5 ~ /mf3/3 200 D1, L|502, 200|0, 5")]
    // fastcgi_pass and uwsgi_pass: the same retry that finds no peer left (their log line names "fastcgi://fx").
    [InlineData("/fxoff/1 /fxon/2 /fxon/3", "/fxoff/1 502 D1|502|0 ~ /fxon/2 502 D2, fx|502, 502|0, 0 ~ /fxon/3 502 fx|502|0")]
    [InlineData("/uxoff/1 /uxon/2 /uxon/3", "/uxoff/1 502 D1|502|0 ~ /uxon/2 502 D2, ux|502, 502|0, 0 ~ /uxon/3 502 ux|502|0")]
    public void NoLiveUpstreams_RequestSequence_SameStatusVariablesAndLogLinesAsNginx(string requests, string expected)
    {
        var targets = requests.Split(' ');
        var nginx = Run(site.Pair.Nginx!, targets, 0);
        var lite = Run(site.Pair.NginxLite, targets, nginx.Errors.Count);
        var why = $"\n--- nginx\n{nginx}\n--- nginxlite\n{lite}";
        Assert.True(expected == string.Join(" ~ ", nginx.Access), "nginx 1.22.1 itself differs from the pinned lines:" + why);
        Assert.True(string.Join("\n", nginx.Responses) == string.Join("\n", lite.Responses), "responses differ:" + why);
        Assert.True(string.Join("\n", nginx.Access) == string.Join("\n", lite.Access), "access-log lines differ:" + why);
        Assert.True(string.Join("\n", nginx.Errors) == string.Join("\n", lite.Errors), "error-log lines differ:" + why);
    }

    private sealed record Result(List<string> Responses, List<string> Access, List<string> Errors)
    {
        public override string ToString() =>
            string.Join("\n", Responses) + "\n" + string.Join("\n", Access) + "\n" + string.Join("\n", Errors);
    }

    /// <summary>The requests in order on <paramref name="server"/>: status and body of each, their access-log lines,
    /// and the error-log lines they added (waiting for at least <paramref name="errors"/> of them).</summary>
    private Result Run(ServerProcess server, string[] targets, int errors)
    {
        var errorsBefore = File.Exists(server.ErrorLog) ? File.ReadAllLines(server.ErrorLog).Length : 0;
        var responses = new List<string>();
        foreach (var target in targets)
        {
            var r = UpstreamClient.Get(server.Port, target);
            Assert.True(r.Error is null, $"{server.Flavor} {target}: {r.Error}\n{server.Describe()}");
            var body = Regex.Replace(UpstreamPair.Normalize(r.Body, server.Port), @"\s+", " ").Trim();
            responses.Add($"{target} {r.Status} {body}");
        }

        var log = Path.Combine(server.Prefix, "logs", "up.log");
        var clock = Stopwatch.StartNew();
        List<string> access;
        List<string> lines;
        do
        {
            Thread.Sleep(50);
            access = File.Exists(log)
                ? [.. File.ReadAllLines(log).Where(l => targets.Contains(l.Split(' ')[0])).Select(site.Mask)]
                : [];
            lines = File.Exists(server.ErrorLog) ? [.. File.ReadAllLines(server.ErrorLog).Skip(errorsBefore).Select(ErrorLine)] : [];
        }
        while ((access.Count < targets.Length || lines.Count < errors) && clock.Elapsed < TimeSpan.FromSeconds(5));

        return new(responses, access, lines);
    }

    /// <summary>"[level] message, client: …, upstream: …" with the time, pid#tid and *connection cut, ports masked.</summary>
    private string ErrorLine(string line)
    {
        var m = Regex.Match(line, @"^\S+ \S+ (\[\w+\]) \d+#\d+: (?:\*\d+ )?(.*)$");
        return site.Mask(m.Success ? m.Groups[1].Value + " " + m.Groups[2].Value : line);
    }
}
