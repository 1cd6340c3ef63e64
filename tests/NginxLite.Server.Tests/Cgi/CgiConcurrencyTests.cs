using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.TestSupport;

namespace NginxLite.Server.Tests.Cgi;

/// <summary><c>cgi_max_procs</c> end to end: scripts beyond the cap wait their turn, an abandoned waiter never runs,
/// and a wait longer than <c>cgi_timeout</c> is a 504 (docs/cgi.md, "Concurrency cap"). The cap is one per server
/// process, so scripts of other tests running at the same time only make these wait longer, never pass wrongly.</summary>
[Collection(CgiGateCollection.Name)]
public class CgiConcurrencyTests
{
    /// <summary>Marks itself started and running, waits (bounded) for the test's release file, then reports how many
    /// scripts were running when it started.</summary>
    private static string Blocking(string dir) => $$"""
        #!/bin/sh
        touch {{dir}}/started.$QUERY_STRING
        touch {{dir}}/running.$QUERY_STRING
        seen=$(ls {{dir}} | grep -c '^running\.')
        i=0
        while [ ! -e {{dir}}/release ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
        rm -f {{dir}}/running.$QUERY_STRING
        echo 'Content-Type: text/plain'
        echo
        echo "seen=$seen"
        """;

    [Fact]
    public async Task MaxProcs_ScriptsBeyondTheCap_WaitThenAllAnswer()
    {
        await using var s = await CgiFixture.StartAsync(Locations("cgi_max_procs 2;"));
        var dir = MarkerDir(s);
        CgiFixture.Script(s, "cgi-bin/block.cgi", Blocking(dir));

        var requests = Enumerable.Range(1, 4).Select(i => s.SendAsync($"/cgi-bin/block.cgi?{i}")).ToList();
        await WaitForAsync(() => Count(dir, "running.") == 2);
        await Task.Delay(500);
        // Four requests, two slots: the other two have not started (with no cap all four start at once).
        Assert.Equal(2, Count(dir, "started."));
        File.WriteAllText(Path.Combine(dir, "release"), "");
        foreach (var r in await Task.WhenAll(requests))
        {
            Assert.Equal(200, r.Status);
            Assert.InRange(int.Parse(CgiFixture.Vars(r.Text())["seen"]), 1, 2);
        }

        Assert.Equal(4, Count(dir, "started."));
    }

    [Fact]
    public async Task MaxProcs_ClientGoneWhileQueued_ItsScriptNeverRuns()
    {
        await using var s = await CgiFixture.StartAsync(Locations("cgi_max_procs 1;"));
        var dir = MarkerDir(s);
        CgiFixture.Script(s, "cgi-bin/block.cgi", Blocking(dir));

        var first = s.SendAsync("/cgi-bin/block.cgi?first");
        await WaitForAsync(() => File.Exists(Path.Combine(dir, "running.first")));
        using (var gone = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await gone.ConnectAsync(IPAddress.Loopback, s.Port);
            await gone.SendAsync(Encoding.ASCII.GetBytes("GET /cgi-bin/block.cgi?gone HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            await Task.Delay(1000);
        }

        var last = s.SendAsync("/cgi-bin/block.cgi?last");
        await Task.Delay(300);
        File.WriteAllText(Path.Combine(dir, "release"), "");
        Assert.Equal(200, (await first).Status);
        Assert.Equal(200, (await last).Status);
        // FIFO: had the abandoned request stayed queued, its script would have run before "last".
        Assert.False(File.Exists(Path.Combine(dir, "started.gone")));
    }

    [Fact]
    public async Task MaxProcs_WaitLongerThanCgiTimeout_Is504AndLogged()
    {
        await using var s = await CgiFixture.StartAsync(Locations("cgi_max_procs 1; cgi_timeout 2s;"));
        var dir = MarkerDir(s);
        // Never silent for cgi_timeout, so it keeps its slot for ~6 s.
        CgiFixture.Script(s, "cgi-bin/busy.cgi", $"#!/bin/sh\ntouch {dir}/running.busy\necho 'Content-Type: text/plain'\necho\nfor i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo $i; sleep 0.5; done");
        CgiFixture.Script(s, "cgi-bin/quick.cgi", $"#!/bin/sh\ntouch {dir}/started.quick\necho 'Content-Type: text/plain'\necho\necho quick");

        var busy = s.SendAsync("/cgi-bin/busy.cgi");
        await WaitForAsync(() => File.Exists(Path.Combine(dir, "running.busy")));
        var r = await s.SendAsync("/cgi-bin/quick.cgi");

        Assert.Equal(504, r.Status);
        Assert.False(File.Exists(Path.Combine(dir, "started.quick")));
        Assert.Contains("while waiting for one of 1 cgi_max_procs slots", s.ReadLog("error.log"));
        Assert.Equal(200, (await busy).Status);
    }

    private static string Locations(string extra) => $$"""
        location /cgi-bin/ {
            cgi on;
            cgi_user {{TestUsers.Cgi}};
            {{extra}}
        }
        """;

    private static string MarkerDir(TestServer s)
    {
        var dir = Path.Combine(s.Prefix, "marks");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        return dir;
    }

    private static int Count(string dir, string prefix) => Directory.GetFiles(dir, prefix + "*").Length;

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "condition not met within 20 s");
            await Task.Delay(50);
        }
    }
}
