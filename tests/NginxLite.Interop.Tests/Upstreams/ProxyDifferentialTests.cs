using Xunit;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NginxLite.Interop.Tests.Http;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// The same proxy config in nginx 1.22.1 and in nginxlite, in front of the same python3 echo backend: each request
/// must get the same status, the headers that matter, the same body, and the backend must have seen the same request
/// (method, target, HTTP version, header set, body length and sha256). Header order toward the backend is compared
/// for the headers the config sets (Kestrel does not keep the client's order: docs/upstreams.md). Faults: the same
/// status and an [error] line in nginx's words in both logs.
/// </summary>
public sealed class ProxyDifferentialTests(ProxyPair pair) : IClassFixture<ProxyPair>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static byte[] Request(string method, string target, string extra = "", byte[]? body = null, bool chunked = false)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: interop\r\nX-Client: c1\r\nConnection: close\r\n{extra}");
        if (body is not null)
        {
            head.Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        var bytes = new MemoryStream();
        bytes.Write(Encoding.ASCII.GetBytes(head.ToString()));
        if (body is not null && chunked)
        {
            for (var offset = 0; offset < body.Length; offset += 100_000)
            {
                var n = Math.Min(100_000, body.Length - offset);
                bytes.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
                bytes.Write(body, offset, n);
                bytes.Write("\r\n"u8);
            }

            bytes.Write("0\r\n\r\n"u8);
        }
        else if (body is not null)
        {
            bytes.Write(body);
        }

        return bytes.ToArray();
    }

    private (RawResponse Nginx, RawResponse Lite) Both(byte[] request, bool head = false) =>
        (RawHttpClient.Send(pair.Reference.Port, request, head, Timeout), RawHttpClient.Send(pair.Candidate.Port, request, head, Timeout));

    private static string Describe(RawResponse nginx, RawResponse lite) => $"nginx:\n{nginx.Dump()}\nnginxlite:\n{lite.Dump()}";

    /// <summary>Status, Content-Type, Content-Length, Location (ports normalized) and body bytes.</summary>
    private void AssertSame(RawResponse nginx, RawResponse lite, bool compareBody = true)
    {
        var why = Describe(nginx, lite);
        Assert.True(nginx.Status == lite.Status, why);
        Assert.True(nginx.Header("Content-Type") == lite.Header("Content-Type"), why);
        Assert.True(nginx.Header("Content-Length") == lite.Header("Content-Length") || nginx.Header("Content-Length") is null || lite.Header("Content-Length") is null, why);
        Assert.True(Normalize(nginx.Header("Location"), pair.Reference.Port) == Normalize(lite.Header("Location"), pair.Candidate.Port), why);
        foreach (var name in new[] { "X-Custom", "X-Pad", "X-Accel-Buffering" })
        {
            Assert.True(nginx.Header(name) == lite.Header(name), $"{name}\n{why}");
        }

        Assert.True(string.Join("|", nginx.HeaderValues("Set-Cookie")) == string.Join("|", lite.HeaderValues("Set-Cookie")), why);
        if (compareBody && !(nginx.Header("Content-Type") ?? "").Contains("json", StringComparison.Ordinal))
        {
            Assert.True(nginx.Body.AsSpan().SequenceEqual(lite.Body), why);
        }
    }

    private static string? Normalize(string? location, int port) => location?.Replace(":" + port, ":PORT", StringComparison.Ordinal);

    /// <summary>What the echo backend saw, as it reported it; the header list compared as a set of lines.</summary>
    private static void AssertSameUpstreamRequest(RawResponse nginx, RawResponse lite, params string[] ordered)
    {
        var why = Describe(nginx, lite);
        using var a = JsonDocument.Parse(nginx.Body);
        using var b = JsonDocument.Parse(lite.Body);
        foreach (var field in new[] { "method", "target", "version", "body_length", "body_sha256" })
        {
            Assert.True(a.RootElement.GetProperty(field).ToString() == b.RootElement.GetProperty(field).ToString(), $"{field}\n{why}");
        }

        static List<string> Lines(JsonDocument d) =>
            d.RootElement.GetProperty("headers").EnumerateArray().Select(h => h[0].GetString()!.ToLowerInvariant() + ": " + h[1].GetString()).ToList();

        var nginxLines = Lines(a);
        var liteLines = Lines(b);
        Assert.True(nginxLines.Order().SequenceEqual(liteLines.Order()), $"headers seen by the backend\n{why}");
        var expectedOrder = nginxLines.Where(l => ordered.Any(o => l.StartsWith(o.ToLowerInvariant() + ":", StringComparison.Ordinal))).ToList();
        var actualOrder = liteLines.Where(l => ordered.Any(o => l.StartsWith(o.ToLowerInvariant() + ":", StringComparison.Ordinal))).ToList();
        Assert.True(expectedOrder.SequenceEqual(actualOrder), $"order of {string.Join(", ", ordered)}\n{why}");
    }

    [Theory]
    [InlineData("/a/b?x=1")]
    [InlineData("/a%2Fb/../c?q=%20&r")]
    [InlineData("/prefix/p/q?z")]
    [InlineData("/unix/x/y?s=1")]
    [InlineData("/pool/p")]
    [InlineData("/ka/k1")]
    public void Get_SameResponse_SameUpstreamRequest(string target)
    {
        var (nginx, lite) = Both(Request("GET", target));
        AssertSame(nginx, lite);
        Assert.Equal(200, lite.Status);
        AssertSameUpstreamRequest(nginx, lite, "Host", "X-Real-IP", "Connection", "Content-Length");
    }

    [Theory]
    [InlineData("/", 0, false)]
    [InlineData("/", 1024, false)]
    [InlineData("/", 1 << 20, false)]
    [InlineData("/", 1024, true)]
    [InlineData("/", 1 << 20, true)]
    [InlineData("/stream/", 1024, false)]
    [InlineData("/stream/", 1 << 20, false)]
    [InlineData("/stream/", 1 << 20, true)]
    [InlineData("/unix/", 1 << 20, true)]
    public void Post_Bodies_SameBytesReachTheBackend(string location, int size, bool chunked)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        var request = Request("POST", location + "post", "", body, chunked);
        var (nginx, lite) = Both(request);
        AssertSame(nginx, lite);
        Assert.Equal(200, lite.Status);
        AssertSameUpstreamRequest(nginx, lite, "Host", "Connection", "Content-Length", "Transfer-Encoding");
        using var json = JsonDocument.Parse(lite.Body);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), json.RootElement.GetProperty("body_sha256").GetString());
    }

    [Theory]
    [InlineData("GET", "/bytes/0")]
    [InlineData("GET", "/bytes/1024")]
    [InlineData("GET", "/bytes/1048576")]
    [InlineData("GET", "/chunked/1048576")]
    [InlineData("GET", "/close/1048576")]
    [InlineData("GET", "/stream/chunked/300000")]
    [InlineData("HEAD", "/bytes/10")]
    [InlineData("GET", "/headers")]
    [InlineData("GET", "/hidden/")]
    [InlineData("GET", "/redirect")]
    [InlineData("GET", "/status/404")]
    [InlineData("GET", "/status/503")]
    [InlineData("GET", "/intercept/404")]
    [InlineData("GET", "/intercept/500")]
    public void Responses_SameStatusHeadersAndBody(string method, string target)
    {
        var (nginx, lite) = Both(Request(method, target), head: method == "HEAD");
        AssertSame(nginx, lite);
        if (target.StartsWith("/bytes/", StringComparison.Ordinal) || target.Contains("/chunked/", StringComparison.Ordinal) || target.StartsWith("/close/", StringComparison.Ordinal))
        {
            Assert.Equal(method == "HEAD" ? 0 : int.Parse(target[(target.LastIndexOf('/') + 1)..]), lite.Body.Length);
        }

        if (target == "/hidden/")
        {
            Assert.StartsWith("echo-backend Python/", lite.Header("Server"));
        }
    }

    [Theory]
    [InlineData("/refused/", 502, "connect() failed (111: Connection refused) while connecting to upstream")]
    [InlineData("/reset/", 502, "recv() failed (104: Connection reset by peer) while reading response header from upstream")]
    [InlineData("/garbage/", 502, "upstream sent invalid header: \"X\\x00...\" while reading response header from upstream")]
    [InlineData("/hang/", 504, "upstream timed out (110: Connection timed out) while reading response header from upstream")]
    [InlineData("/bigheader/", 502, "upstream sent too big header while reading response header from upstream")]
    public void Faults_SameStatus_SameErrorLine(string location, int status, string logged)
    {
        var target = location + "f" + Guid.NewGuid().ToString("N")[..8];
        var (nginx, lite) = Both(Request("GET", target));
        Assert.True(nginx.Status == status && lite.Status == status, Describe(nginx, lite) + "\n" + WaitForLine(pair.Candidate.ErrorLog, target));
        foreach (var server in new[] { pair.Reference, pair.Candidate })
        {
            var line = WaitForLine(server.ErrorLog, target);
            Assert.True(line.Contains("[error]", StringComparison.Ordinal) && line.Contains(logged, StringComparison.Ordinal), $"{server.Flavor}: {line}");
            Assert.Contains($"request: \"GET {target} HTTP/1.1\", upstream: \"http://127.0.0.1:", line);
        }
    }

    [Fact]
    public void ResetMidBody_BothCutTheClientOff()
    {
        var (nginx, lite) = Both(Request("GET", "/midbody/m"));
        Assert.Equal(200, nginx.Status);
        Assert.Equal(200, lite.Status);
        Assert.True(nginx.Body.Length < 100_000 && lite.Body.Length < 100_000, Describe(nginx, lite));
        Assert.Contains("while reading upstream", WaitForLine(pair.Candidate.ErrorLog, "/midbody/m"));
        Assert.Contains("while reading upstream", WaitForLine(pair.Reference.ErrorLog, "/midbody/m"));
    }

    private static string WaitForLine(string log, string needle)
    {
        for (var i = 0; i < 50; i++)
        {
            if (File.Exists(log))
            {
                using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                var line = new StreamReader(stream).ReadToEnd().Split('\n').LastOrDefault(l => l.Contains(needle, StringComparison.Ordinal));
                if (line is not null)
                {
                    return line;
                }
            }

            Thread.Sleep(100);
        }

        return $"(no line with {needle} in {log})";
    }
}
