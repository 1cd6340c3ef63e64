using System.Text;
using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams.Tls;

/// <summary>
/// <c>proxy_pass https://…</c> in nginx 1.22.1 and in nginxlite with the same config, in front of the same nginx TLS
/// backend: the same status and body (the body is what the backend saw: SNI, protocol, client certificate, requests on
/// the connection), and for a refused certificate the same <c>[error]</c> line in both error logs.
/// </summary>
public sealed class TlsProxyDifferentialTests(TlsProxyPair fixture) : IClassFixture<TlsProxyPair>
{
    /// <summary>The request to both fronts: the same status, Content-Type and body (error pages compared with the
    /// product name normalized, whose length makes Content-Length differ); returns nginxlite's response.</summary>
    private RawResponse Both(string target) => fixture.Pair.Both(target, ["Content-Type"], withLogs: true);

    private static string Body(RawResponse r) => Encoding.Latin1.GetString(r.Body);

    [Theory]
    [InlineData("/plain/a?x=1", "sni=[] protocol=TLSv1.3 uri=/a?x=1")]
    [InlineData("/sni-ip/b", "sni=[] ")]
    [InlineData("/sni/c", "sni=[backend.test] ")]
    [InlineData("/sni-name/d", "sni=[backend.test] ")]
    [InlineData("/verify/e", "good sni=[] ")]
    [InlineData("/tls12/f", "protocol=TLSv1.2 ")]
    public void HttpsUpstream_Reachable_SameResponseAndSniAsNginx(string target, string expected)
    {
        var lite = Both(target);
        Assert.Equal(200, lite.Status);
        Assert.Contains(expected, Body(lite), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/wrong-off/", "wrong ")]
    [InlineData("/expired-off/", "expired ")]
    [InlineData("/self-off/", "self ")]
    public void HttpsUpstream_VerifyOff_AcceptsAnyCertificate(string target, string expected)
    {
        var lite = Both(target);
        Assert.Equal(200, lite.Status);
        Assert.StartsWith(expected, Body(lite), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/wrong/", "upstream SSL certificate does not match \"backend.test\" while SSL handshaking to upstream")]
    [InlineData("/verify-ip/", "upstream SSL certificate does not match \"127.0.0.1\" while SSL handshaking to upstream")]
    [InlineData("/expired/", "upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream")]
    [InlineData("/self/", "upstream SSL certificate verify error: (18:self-signed certificate) while SSL handshaking to upstream")]
    public void HttpsUpstream_CertificateRefused_502AndNginxErrorLine(string target, string message)
    {
        var lite = Both(target);
        Assert.Equal(502, lite.Status);
        var expected = "[error] " + message;
        var nginxLines = UpstreamPair.LogLines(fixture.Pair.Nginx!);
        var liteLines = UpstreamPair.LogLines(fixture.Pair.NginxLite);
        Assert.True(nginxLines.Contains(expected), "nginx's log lacks the line (test expectation wrong?):\n" + string.Join("\n", nginxLines));
        Assert.True(liteLines.Contains(expected), "nginxlite's log lacks the line:\n" + string.Join("\n", liteLines));
    }

    [Fact]
    public void HttpsUpstream_ClientCertificateRequiredNotConfigured_Backend400Passed()
    {
        var lite = Both("/client-none/");
        Assert.Equal(400, lite.Status);
        Assert.Contains("No required SSL certificate was sent", Body(lite), StringComparison.Ordinal);
    }

    [Fact]
    public void HttpsUpstream_ClientCertificateConfigured_BackendVerifiesIt()
    {
        var lite = Both("/client/x");
        Assert.Equal(200, lite.Status);
        Assert.StartsWith("client dn=CN=client.test verify=SUCCESS ", Body(lite), StringComparison.Ordinal);
    }

    [Fact]
    public void HttpsUpstream_BackendNotTls_502()
    {
        var lite = Both("/not-tls/");
        Assert.Equal(502, lite.Status);
        Assert.Contains(UpstreamPair.LogLines(fixture.Pair.NginxLite), l => l.StartsWith("[error] ", StringComparison.Ordinal) && l.EndsWith(" while SSL handshaking to upstream", StringComparison.Ordinal));
    }

    [Fact]
    public void HttpsUpstream_Keepalive_ReusesTheTlsConnection()
    {
        // The backend counts requests per connection: 1, 2, 3 means the cached connection kept its TLS session.
        for (var i = 1; i <= 3; i++)
        {
            var lite = Both("/ka/k");
            Assert.Equal(200, lite.Status);
            Assert.EndsWith($"requests={i}\n", Body(lite), StringComparison.Ordinal);
        }
    }
}
