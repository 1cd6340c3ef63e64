using System.Diagnostics;
using System.Text;
using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// 204 and 304 answers as nginx's header filters make them (ngx_http_header_filter_module.c: a 204 nginx makes itself
/// loses Content-Type, Content-Length and the generated Last-Modified, a 304 keeps them; an upstream's response keeps
/// its status line and so its headers over HTTP/1, while the HTTP/2 filter applies the 204 rule to it too): nginx
/// 1.22.1 and nginxlite on the same <see cref="NoContentSite"/> give the same status, Content-Type, Content-Length,
/// Last-Modified, ETag and (empty) body, over HTTP/1.1 GET and HEAD and over h2c (curl --http2-prior-knowledge).
/// </summary>
public sealed class NoContentDifferentialTests(NoContentSite site) : IClassFixture<NoContentSite>
{
    private static readonly string[] Compared = ["Content-Type", "Content-Length", "Last-Modified", "ETag", "X-Powered-By"];

    /// <summary>Path, the status nginx answers, and its Content-Type over HTTP/1.1 ("" for none): the anchor that the
    /// comparison is not between two equally wrong answers.</summary>
    public static TheoryData<string, int, string> Answers() => new()
    {
        { "/a", 204, "" },
        { "/b", 204, "" },
        { "/c", 304, "text/plain" },
        { "/d", 304, "text/plain" },
        { "/e", 204, "" },
        { "/g", 200, "text/plain" },
        { "/h", 204, "" },
        { "/i", 204, "" },
        { "/j", 204, "" },
        { "/k", 204, "" },
        { "/n", 204, "" },
        { "/p/nc", 204, "" },
        { "/p/nct", 204, "text/html" },
        { "/s204.php", 204, "text/html;charset=UTF-8" },
        { "/s204b.php", 204, "text/html;charset=UTF-8" },
        { "/s304.php", 304, "" },
        { "/u/204", 204, "text/html" },
        { "/u/204body", 204, "text/html" },
        { "/u/304", 304, "text/html" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void NoContent_Http11Get_SameHeadersAsNginx(string path, int status, string contentType) =>
        AssertSame(path, "GET", status, contentType);

    [Theory]
    [MemberData(nameof(Answers))]
    public void NoContent_Http11Head_SameHeadersAsNginx(string path, int status, string contentType) =>
        AssertSame(path, "HEAD", status, contentType);

    [Theory]
    [MemberData(nameof(Answers))]
    public void NoContent_H2c_SameHeadersAsNginx(string path, int status, string contentType)
    {
        var nginx = CurlH2(site.NginxH2, path);
        var lite = CurlH2(site.LiteH2, path);
        var why = $"{path} over h2c:\n--- nginx\n{nginx}\n--- nginxlite\n{lite}";

        Assert.True(nginx.Status == status, "nginx's status is not the expected one: " + why);
        Assert.True(nginx.Status == lite.Status, "status differs: " + why);
        if (status == 204)
        {
            // ngx_http_v2_header_filter: a 204 never has a type, upstream or not
            Assert.True(nginx.Header("Content-Type") is null, "nginx sent a type on an h2 204: " + why);
        }
        else
        {
            Assert.True(nginx.Header("Content-Type") == (contentType.Length > 0 ? contentType : null), "nginx's type: " + why);
        }

        foreach (var name in Compared)
        {
            Assert.True(nginx.Header(name) == lite.Header(name), $"{name} differs: {why}");
        }

        Assert.True(nginx.Body == lite.Body, "body differs: " + why);
        Assert.True(status == 200 || lite.Body.Length == 0, "nginxlite sent a body: " + why);
    }

    /// <summary>What Kestrel cannot send: a Content-Length on a 204 or 205 from an upstream, a body on a 205. nginx
    /// relays them; nginxlite sends the status and the other headers without them and never fails the request
    /// (docs/intentional-differences.tsv, status:204-205-content-length).</summary>
    [Theory]
    [InlineData("/u/204cl", 204, "0")]
    [InlineData("/u/204cl3", 204, "3")]
    [InlineData("/s204cl.php", 204, "4")]
    [InlineData("/p/ncl", 204, "0")]
    [InlineData("/u/205", 205, "3")]
    [InlineData("/p/r205", 205, "3")]
    [InlineData("/f", 205, "1")]
    public void NoContent_LengthKestrelRefuses_SameStatusAndTypeWithoutLength(string path, int status, string nginxLength)
    {
        Assert.NotNull(NginxLite.TestSupport.IntentionalDifferences.NginxLiteSays("status:204-205-content-length"));
        var nginx = Send(site.Nginx.Port, path, "GET");
        var lite = Send(site.Lite.Port, path, "GET");
        var why = $"{path}:\n--- nginx\n{nginx.Dump()}\n--- nginxlite\n{lite.Dump()}";

        Assert.True(nginx.Status == status && nginx.Header("Content-Length") == nginxLength, "nginx's answer: " + why);
        Assert.True(lite.Status == status, "status differs: " + why);
        Assert.True(nginx.Header("Content-Type") == lite.Header("Content-Type"), "Content-Type differs: " + why);
        Assert.True(lite.Body.Length == 0, "nginxlite sent a body: " + why);

        // Kestrel writes the 0 of a bodiless 205 itself; a 204 has none (RFC 9110 §8.6)
        Assert.True(lite.Header("Content-Length") == (status == 205 ? "0" : null), "Content-Length: " + why);
    }

    [Fact]
    public void NoContent_StaticFileIfNoneMatch_Same304AsNginx()
    {
        var probe = Send(site.Nginx.Port, "/st/f.txt", "GET");
        var etag = probe.Header("ETag");
        Assert.NotNull(etag);
        var nginx = Send(site.Nginx.Port, "/st/f.txt", "GET", $"If-None-Match: {etag}\r\n");
        var lite = Send(site.Lite.Port, "/st/f.txt", "GET", $"If-None-Match: {etag}\r\n");
        var why = $"If-None-Match:\n--- nginx\n{nginx.Dump()}\n--- nginxlite\n{lite.Dump()}";

        Assert.True(nginx.Status == 304 && nginx.Header("Content-Type") is null, "nginx's answer: " + why);
        Assert.True(lite.Status == 304, "status differs: " + why);
        foreach (var name in Compared)
        {
            Assert.True(nginx.Header(name) == lite.Header(name), $"{name} differs: {why}");
        }

        Assert.Empty(lite.Body);
    }

    private void AssertSame(string path, string method, int status, string contentType)
    {
        var nginx = Send(site.Nginx.Port, path, method);
        var lite = Send(site.Lite.Port, path, method);
        var why = $"{method} {path}:\n--- nginx\n{nginx.Dump()}\n--- nginxlite\n{lite.Dump()}";

        Assert.True(nginx.Status == status, "nginx's status is not the expected one: " + why);
        Assert.True(nginx.Header("Content-Type") == (contentType.Length > 0 ? contentType : null), "nginx's type: " + why);
        Assert.True(nginx.Status == lite.Status, "status differs: " + why);
        foreach (var name in Compared)
        {
            Assert.True(nginx.Header(name) == lite.Header(name), $"{name} differs: {why}");
        }

        Assert.True(nginx.Body.AsSpan().SequenceEqual(lite.Body), "body differs: " + why);
        if (status != 200 || method == "HEAD")
        {
            Assert.True(lite.Body.Length == 0, "nginxlite sent a body: " + why);
        }
    }

    private static RawResponse Send(int port, string path, string method, string extra = "")
    {
        var request = Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: localhost\r\n{extra}Connection: close\r\n\r\n");
        var response = RawHttpClient.Send(port, request, method == "HEAD", TimeSpan.FromSeconds(20));
        Assert.True(response.Error is null, $"{method} {path} to port {port}: {response.Error}");
        return response;
    }

    private sealed record H2Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;

        public override string ToString() =>
            $"    {Status}\n" + string.Concat(Headers.Select(h => $"    {h.Key}: {h.Value}\n")) + $"    body: {Body.Length} chars";
    }

    /// <summary>One h2c GET with curl (nghttp2), head and body in its <c>-i</c> output.</summary>
    private static H2Answer CurlH2(int port, string path)
    {
        var psi = new ProcessStartInfo("curl", ["-s", "-i", "--http2-prior-knowledge", "-m", "10", $"http://127.0.0.1:{port}{path}"])
        {
            RedirectStandardOutput = true,
        };
        using var curl = Process.Start(psi)!;
        var output = curl.StandardOutput.ReadToEnd();
        Assert.True(curl.WaitForExit(20_000), "curl did not finish");
        var end = output.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no HTTP/2 answer from port {port} for {path}: {output}");
        var lines = output[..end].Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        Assert.StartsWith("HTTP/2 ", lines[0], StringComparison.Ordinal);
        return new H2Answer(int.Parse(lines[0].AsSpan(7, 3), provider: System.Globalization.CultureInfo.InvariantCulture), headers, output[(end + 4)..]);
    }
}
