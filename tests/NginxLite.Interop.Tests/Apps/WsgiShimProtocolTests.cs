using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// The Python shim spoken to directly with a hand-written uwsgi client: what nginx never sends (a chunked body —
/// nginx buffers chunked request bodies for uwsgi_pass and sends CONTENT_LENGTH) and the raw response bytes.
/// </summary>
public sealed class WsgiShimProtocolTests(WsgiShimSite site) : IClassFixture<WsgiShimSite>
{
    private string Socket => site.Shim!.Socket;

    private byte[] Exchange(Dictionary<string, string> vars, params byte[][] body) => UwsgiClient.Exchange(Socket, UwsgiClient.Packet(vars), body);

    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    [Fact]
    public void WsgiShim_ChunkedBody_DecodedWithInputTerminated()
    {
        var body = new byte[1024 * 1024 + 17];
        new Random(3).NextBytes(body);
        var vars = UwsgiClient.Vars("POST", "/sha");
        vars["HTTP_TRANSFER_ENCODING"] = "chunked";
        vars.Remove("CONTENT_LENGTH");
        var chunked = UwsgiClient.Chunked(body, 7000);
        // Sent in uneven pieces so chunk-size lines and CRLFs straddle reads.
        var parts = chunked.Chunk(4093).ToArray();
        var (head, responseBody) = UwsgiClient.Split(Exchange(vars, parts));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Equal($"{body.Length} {Sha(body)} terminated=True\n", Encoding.ASCII.GetString(responseBody));
    }

    [Fact]
    public void WsgiShim_ChunkedBody_ReadlineAcrossChunks()
    {
        var vars = UwsgiClient.Vars("POST", "/raw/lines");
        vars["SCRIPT_NAME"] = "";
        vars["HTTP_TRANSFER_ENCODING"] = "chunked";
        vars.Remove("CONTENT_LENGTH");
        var (_, body) = UwsgiClient.Split(Exchange(vars, UwsgiClient.Chunked("line one\nline two\nline three\nlast"u8.ToArray(), 3)));
        Assert.Equal("""{"first": "line one\n", "limited": "line", "rest": [" two\n", "line three\n", "last"]}""" + "\n", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void WsgiShim_BodyLongerThanContentLength_ReadsOnlyContentLength()
    {
        var vars = UwsgiClient.Vars("POST", "/sha");
        vars["CONTENT_LENGTH"] = "5";
        var (_, body) = UwsgiClient.Split(Exchange(vars, "helloEXTRA"u8.ToArray()));
        Assert.Equal($"5 {Sha("hello"u8.ToArray())} terminated=False\n", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void WsgiShim_RawResponse_StatusLineHeadersThenBodyUntilClose()
    {
        var raw = Exchange(UwsgiClient.Vars("GET", "/cookies"));
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 8\r\n" +
                     "Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\nSet-Cookie: c=3\r\n\r\ncookies\n", Encoding.Latin1.GetString(raw));
    }

    [Fact]
    public void WsgiShim_NoServerProtocol_AnswersHttp10()
    {
        var vars = UwsgiClient.Vars("GET", "/cookies");
        vars.Remove("SERVER_PROTOCOL");
        Assert.StartsWith("HTTP/1.0 200 OK\r\n", Encoding.Latin1.GetString(Exchange(vars)));
    }

    [Fact]
    public void WsgiShim_Head_SendsNoBodyBytes()
    {
        var (head, body) = UwsgiClient.Split(Exchange(UwsgiClient.Vars("HEAD", "/stream")));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Empty(body);
    }

    [Theory]
    [InlineData("UWSGI_SCHEME", "https", "https")]
    [InlineData("HTTPS", "on", "https")]
    [InlineData("HTTPS", "off", "http")]
    public void WsgiShim_SchemeVars_SetUrlScheme(string name, string value, string scheme)
    {
        var vars = UwsgiClient.Vars("GET", "/env");
        vars[name] = value;
        var (_, body) = UwsgiClient.Split(Exchange(vars));
        Assert.Contains($"wsgi.url_scheme={scheme}\n", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void WsgiShim_OnlyHttpContentType_BecomesContentType()
    {
        var vars = UwsgiClient.Vars("POST", "/env");
        vars.Remove("CONTENT_TYPE");
        vars["HTTP_CONTENT_TYPE"] = "text/x-test";
        vars["CONTENT_LENGTH"] = "0";
        var text = Encoding.ASCII.GetString(UwsgiClient.Split(Exchange(vars)).Body);
        Assert.Contains("CONTENT_TYPE=text/x-test\n", text);
        Assert.Contains("has_http_content_type=False\n", text);
    }

    [Fact]
    public void WsgiShim_VarsBlockOverBufferSize_ClosedWithoutResponseThenServesNext()
    {
        var vars = UwsgiClient.Vars("GET", "/cookies");
        vars["HTTP_X_BIG"] = new string('x', 5000);
        Assert.Empty(Exchange(vars));
        Assert.Contains("larger than buffer-size 4096", site.Shim!.WaitForStderr("larger than buffer-size 4096"));
        Assert.StartsWith("HTTP/1.1 200 OK", Encoding.Latin1.GetString(Exchange(UwsgiClient.Vars("GET", "/cookies"))));
    }

    [Fact]
    public void WsgiShim_UnknownModifier1_Refused()
    {
        var raw = UwsgiClient.Exchange(Socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/cookies"), modifier1: 8));
        Assert.Empty(raw);
        Assert.Contains("modifier1 8", site.Shim!.WaitForStderr("modifier1 8"));
    }

    [Fact]
    public void WsgiShim_Modifier5_Served()
    {
        var raw = UwsgiClient.Exchange(Socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/cookies"), modifier1: 5));
        Assert.StartsWith("HTTP/1.1 200 OK", Encoding.Latin1.GetString(raw));
    }

    [Fact]
    public void WsgiShim_ScriptNameVarNamesMount_PathInfoKept()
    {
        var vars = UwsgiClient.Vars("GET", "/env");
        vars["SCRIPT_NAME"] = "/raw";
        var text = Encoding.ASCII.GetString(UwsgiClient.Split(Exchange(vars)).Body);
        Assert.Contains("SCRIPT_NAME=/raw\n", text);
        Assert.Contains("PATH_INFO=/env\n", text);
    }

    [Fact]
    public void WsgiShim_ClientGoneMidResponse_CloseCalledAndNextRequestServed()
    {
        static int Closed(string socket) =>
            int.Parse(Encoding.ASCII.GetString(UwsgiClient.Split(UwsgiClient.Exchange(socket, UwsgiClient.Packet(UwsgiClient.Vars("GET", "/closed")))).Body).Trim()["closed=".Length..]);
        var before = Closed(Socket);
        using (var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            s.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(Socket));
            s.Send(UwsgiClient.Packet(UwsgiClient.Vars("GET", "/big")));
            var buffer = new byte[4096];
            Assert.True(s.Receive(buffer) > 0);
        } // closed with 64 MiB still to come

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Closed(Socket) == before && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(50);
        }

        Assert.Equal(before + 1, Closed(Socket));
        Assert.Contains("client disconnected during the response", site.Shim!.WaitForStderr("client disconnected during the response"));
    }
}
