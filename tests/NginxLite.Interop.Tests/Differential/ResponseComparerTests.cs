using System.Text;
using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>The comparer's rules on hand-made responses: what it forgives and what it reports.</summary>
public sealed class ResponseComparerTests
{
    private static ServedResponse Served(string server, int port, int status, string body, params (string, string)[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var all = headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2))
            .Append(new("Content-Length", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("Date", server + " date"))
            .Append(new("Server", server))
            .ToList();
        return new ServedResponse(server, port, server, new RawResponse(status, $"HTTP/1.1 {status} X", all, bytes, null));
    }

    private static string ErrorPage(string name) =>
        $"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{name}</center>\r\n</body>\r\n</html>\r\n";

    [Fact]
    public void ErrorPage_OnlyServerNameDiffers_Same()
    {
        var a = Served("nginx", 1000, 404, ErrorPage("nginx"), ("Content-Type", "text/html"));
        var b = Served("nginxlite", 2000, 404, ErrorPage("nginxlite"), ("Content-Type", "text/html"));

        Assert.Empty(ResponseComparer.Differences(a, b));
    }

    [Fact]
    public void ErrorPage_OtherNameThanTheServers_Reported()
    {
        var a = Served("nginx", 1000, 404, ErrorPage("nginx"), ("Content-Type", "text/html"));
        var b = Served("nginxlite", 2000, 404, ErrorPage("kestrel"), ("Content-Type", "text/html"));

        Assert.Contains(ResponseComparer.Differences(a, b), d => d.StartsWith("body (normalised)", StringComparison.Ordinal));
    }

    [Fact]
    public void Location_OwnPortsNormalised_Same()
    {
        var a = Served("nginx", 1000, 301, "", ("Location", "http://localhost:1000/docs/"));
        var b = Served("nginx", 2000, 301, "", ("Location", "http://localhost:2000/docs/"));

        Assert.Empty(ResponseComparer.Differences(a, b));
    }

    [Fact]
    public void Location_OtherPath_Reported()
    {
        var a = Served("nginx", 1000, 301, "", ("Location", "http://localhost:1000/docs/"));
        var b = Served("nginx", 2000, 301, "", ("Location", "http://localhost:2000/docs"));

        Assert.Equal(["Location: http://localhost:PORT/docs/ vs http://localhost:PORT/docs"], ResponseComparer.Differences(a, b));
    }

    [Fact]
    public void Multipart_BoundariesNormalised_Same()
    {
        static ServedResponse Part(int port, string boundary) => Served("nginx", port, 206,
            $"\r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-0/10\r\n\r\na\r\n--{boundary}--\r\n",
            ("Content-Type", "multipart/byteranges; boundary=" + boundary));

        Assert.Empty(ResponseComparer.Differences(Part(1000, "00000000001"), Part(2000, "abcdef")));
    }

    [Fact]
    public void ServerAndDateHeaders_Ignored_ButXHeadersCompared()
    {
        var a = Served("nginx", 1000, 200, "x", ("X-Site", "a"));
        var b = Served("other", 2000, 200, "x", ("X-Site", "b"));

        Assert.Equal(["X-Site: a vs b"], ResponseComparer.Differences(a, b));
    }

    [Fact]
    public void ValidatorPresence_Compared_ValuesNot()
    {
        var a = Served("nginx", 1000, 200, "x", ("ETag", "\"1-2\""), ("Last-Modified", "Mon, 01 Jan 2001 00:00:00 GMT"));
        var b = Served("nginx", 2000, 200, "x", ("ETag", "\"3-4\""));

        Assert.Equal(["Last-Modified: Mon, 01 Jan 2001 00:00:00 GMT vs (absent) (presence differs)"], ResponseComparer.Differences(a, b));
    }

    [Fact]
    public void NoResponseVersusResponse_Reported()
    {
        var a = Served("nginx", 1000, 400, "bad");
        var b = new ServedResponse("nginxlite", 2000, "nginxlite", RawResponse.Failed("connection closed before a complete response head", []));

        Assert.Contains(ResponseComparer.Differences(a, b), d => d.StartsWith("status: HTTP/1.1 400 X vs none (connection closed", StringComparison.Ordinal));
    }
}
