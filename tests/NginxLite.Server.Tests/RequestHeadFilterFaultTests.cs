using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace NginxLite.Server.Tests;

/// <summary>
/// Fault tests for the connection filter in front of Kestrel (copy-free while heads pass unchanged, a copying pipe
/// after the first rewritten head): input split at every byte, long pipelines, clients resetting mid-head, many
/// connections at once. Every answer is compared with the answer to the same bytes sent in one piece.
/// </summary>
public partial class RequestHeadFilterFaultTests
{
    private const string Config = """
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            server_tokens off;
            location / { return 200 "$request_method $uri n=$connection_requests len=$request_length\n"; }
        }
        """;

    private const string Get = "GET /a HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private const string PostLength = "POST /b HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello";
    private const string PostChunked = "POST /c HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
    private const string Absolute = "GET http://localhost/d?x=1 HTTP/1.1\r\nHost: other\r\n\r\n"; // rewritten: the pipe takes over
    private const string Http10 = "GET /e HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n";
    private const string Last = "GET /z HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    public static TheoryData<string> Sequences => new()
    {
        { "copy-free" },
        { "switching" },
    };

    private static string Sequence(string name) => name == "copy-free"
        ? Get + PostLength + PostChunked + Http10 + Get + Last
        : Get + PostLength + Absolute + PostChunked + Get + Last;

    [GeneratedRegex(@"Date: [^\r]*\r\n")]
    private static partial Regex DateHeader();

    private static async Task<string> ExchangeAsync(int port, byte[] request, int[] splits, int pauseMs = 2)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        var at = 0;
        foreach (var split in splits.Append(request.Length))
        {
            await socket.SendAsync(request.AsMemory(at, split - at), SocketFlags.None, cts.Token);
            at = split;
            if (pauseMs > 0 && at < request.Length)
            {
                await Task.Delay(pauseMs, cts.Token);
            }
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int n;
        while ((n = await socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token)) > 0)
        {
            buffer.Write(chunk, 0, n);
        }

        return DateHeader().Replace(Encoding.Latin1.GetString(buffer.ToArray()), "");
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task SplitAtEveryByte_SameAnswersAsInOnePiece(string name)
    {
        await using var s = await TestServer.StartAsync(Config);
        var request = Encoding.ASCII.GetBytes(Sequence(name));
        var expected = await ExchangeAsync(s.Port, request, []);
        Assert.Equal(6, Regex.Matches(expected, "HTTP/1.1 200 OK").Count);

        var failures = new List<string>();
        for (var split = 1; split < request.Length; split++)
        {
            var actual = await ExchangeAsync(s.Port, request, [split], pauseMs: 1);
            if (actual != expected)
            {
                failures.Add($"split at {split}: {actual}");
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task OneBytePerWrite_SameAnswers(string name)
    {
        await using var s = await TestServer.StartAsync(Config);
        var request = Encoding.ASCII.GetBytes(Sequence(name));
        var expected = await ExchangeAsync(s.Port, request, []);
        var actual = await ExchangeAsync(s.Port, request, [.. Enumerable.Range(1, request.Length - 1)], pauseMs: 0);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task LongPipeline_EveryRequestAnsweredInOrder()
    {
        await using var s = await TestServer.StartAsync(Config);
        var sb = new StringBuilder();
        for (var i = 1; i < 500; i++)
        {
            sb.Append(i % 3 == 0 ? PostLength : i % 7 == 0 ? PostChunked : $"GET /p{i} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }

        sb.Append(Last);
        var response = await ExchangeAsync(s.Port, Encoding.ASCII.GetBytes(sb.ToString()), []);
        var counts = Regex.Matches(response, @"n=(\d+) ").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, 500), counts);
        Assert.Contains("GET /p499 n=499 len=39\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientsResettingMidHeadOrMidBody_ServerKeepsServing()
    {
        await using var s = await TestServer.StartAsync(Config);
        var cuts = new[]
        {
            "GET /a HTTP/1.1\r\nHo",
            "GET /a HTTP/1.1\r\nHost: localhost\r\n",
            PostLength[..^2],
            PostChunked[..^9],
            Get + "GET /b HTT",
            Absolute[..20],
            Get + Absolute + "GET /x HTTP/1.1\r\nHost: loc",
        };
        var tasks = Enumerable.Range(0, 140).Select(async i =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, s.Port));
            await socket.SendAsync(Encoding.ASCII.GetBytes(cuts[i % cuts.Length]), SocketFlags.None);
            if (i % 2 == 0)
            {
                await Task.Delay(5);
            }

            socket.LingerState = new LingerOption(true, 0); // close sends RST
            socket.Close();
        });
        await Task.WhenAll(tasks);

        var after = await ExchangeAsync(s.Port, Encoding.ASCII.GetBytes(Get + Last), []);
        Assert.Equal(2, Regex.Matches(after, "HTTP/1.1 200 OK").Count);
    }

    [Fact]
    public async Task ManyConnectionsAtOnce_AllAnswersComplete()
    {
        await using var s = await TestServer.StartAsync(Config);
        var request = Encoding.ASCII.GetBytes(Sequence("copy-free"));
        var switching = Encoding.ASCII.GetBytes(Sequence("switching"));
        var expected = await ExchangeAsync(s.Port, request, []);
        var expectedSwitching = await ExchangeAsync(s.Port, switching, []);
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var bytes = i % 4 == 0 ? switching : request;
            var answer = await ExchangeAsync(s.Port, bytes, i % 3 == 0 ? [i % bytes.Length + 1] : [], pauseMs: 1);
            return answer == (i % 4 == 0 ? expectedSwitching : expected);
        }));
        Assert.All(results, Assert.True);
    }

    /// <summary>wrk's pattern from a cold server: keep-alive clients each sending the next request as soon as the
    /// previous response is complete; no connection may end early (wrk counts that as a read error).</summary>
    [Fact]
    public async Task KeepAliveClients_FromColdStart_NoConnectionEndsEarly()
    {
        await using var s = await TestServer.StartAsync(Config);
        var request = Encoding.ASCII.GetBytes(Get);
        var stop = DateTime.UtcNow.AddSeconds(2);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, s.Port));
            var buffer = new byte[4096];
            var served = 0;
            // Below keepalive_requests (1000): a fast machine reaches it within the 2 s, and the server then rightly
            // closes the connection after the 1000th response, as nginx does.
            while (DateTime.UtcNow < stop && served < 900)
            {
                await socket.SendAsync(request, SocketFlags.None);
                var got = "";
                while (!got.EndsWith("len=36\n", StringComparison.Ordinal))
                {
                    var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0)
                    {
                        return $"closed after {served} responses, partial: {got}";
                    }

                    got += Encoding.Latin1.GetString(buffer, 0, n);
                }

                served++;
            }

            return "ok";
        }));
        Assert.All(outcomes, o => Assert.Equal("ok", o));
    }
}
