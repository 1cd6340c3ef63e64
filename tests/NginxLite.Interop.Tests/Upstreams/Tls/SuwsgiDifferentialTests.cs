using System.Text;
using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams.Tls;

/// <summary>
/// <c>uwsgi_pass suwsgi://…</c> (ngx_http_uwsgi_module: the uwsgi protocol over TLS, with uwsgi_ssl_*) in nginx 1.22.1
/// and in nginxlite with the same config, in front of uWSGI's <c>--ssl-socket</c>: the same status, Content-Type,
/// <c>$upstream_addr</c>/<c>$upstream_status</c> and body (the echo app's environ), and for a refused certificate
/// the same <c>[error]</c> line, <c>upstream: "suwsgi://…"</c> included, in both error logs.
/// </summary>
public sealed class SuwsgiDifferentialTests(SuwsgiPair fixture) : IClassFixture<SuwsgiPair>
{
    private static readonly string[] Compared = ["Content-Type", "X-Upstream-Addr", "X-Upstream-Status"];

    private RawResponse Both(string target, string[]? headers = null) => fixture.Pair.Both(target, headers ?? Compared, withLogs: true);

    private static string Body(RawResponse r) => Encoding.Latin1.GetString(r.Body);

    [Theory]
    [InlineData("/a?x=1", "PATH_INFO=/a\n")]
    [InlineData("/group/b", "PATH_INFO=/group/b\n")]
    [InlineData("/verify/c", "PATH_INFO=/verify/c\n")]
    [InlineData("/verify-name/d", "PATH_INFO=/verify-name/d\n")]
    [InlineData("/expired-off/e", "PATH_INFO=/expired-off/e\n")]
    [InlineData("/plain/f", "PATH_INFO=/plain/f\n")]
    public void SuwsgiPass_UwsgiSslSocket_SameResponseAsNginx(string target, string expected)
    {
        var lite = Both(target);
        Assert.Equal(200, lite.Status);
        Assert.Contains(expected, Body(lite), StringComparison.Ordinal);
        Assert.Contains("REQUEST_URI=" + target + "\n", Body(lite), StringComparison.Ordinal);
    }

    [Fact]
    public void SuwsgiPass_SchemeInVariable_CutPerRequestAndTlsOn()
    {
        // ngx_http_uwsgi_eval: a target of variables may carry "suwsgi://", which turns TLS on for this request.
        var lite = Both($"/var/x?to=suwsgi://127.0.0.1:{fixture.GoodPort}");
        Assert.Equal(200, lite.Status);
        Assert.Contains("PATH_INFO=/var/x\n", Body(lite), StringComparison.Ordinal);
        Assert.Equal([$"127.0.0.1:{fixture.GoodPort}"], lite.HeaderValues("X-Upstream-Addr"));
    }

    [Fact]
    public void SuwsgiPass_RequestBody_ReachesTheAppOverTls()
    {
        var body = UpstreamClient.Body(200_000);
        var r = fixture.Pair.Both("post over tls", port => UpstreamClient.Post(port, "/body", body, chunked: false));
        var p = UpstreamClient.Params(r);
        Assert.Equal("200000", p["BODY_LENGTH"]);
        Assert.Equal(UpstreamClient.Md5(body), p["BODY_MD5"]);
    }

    [Theory]
    [InlineData("/wrong-ca/", "backend.test", "upstream SSL certificate verify error: (21:unable to verify the first certificate) while SSL handshaking to upstream")]
    [InlineData("/verify-ip/", "good", "upstream SSL certificate does not match \"127.0.0.1\" while SSL handshaking to upstream")]
    [InlineData("/expired/", "expired", "upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream")]
    public void SuwsgiPass_CertificateRefused_502AndNginxErrorLine(string target, string peer, string message)
    {
        var lite = Both(target);
        Assert.Equal(502, lite.Status);
        var port = peer == "expired" ? fixture.ExpiredPort : fixture.GoodPort;
        var upstream = $", upstream: \"suwsgi://127.0.0.1:{port}\"";
        foreach (var server in new[] { fixture.Pair.Nginx!, fixture.Pair.NginxLite })
        {
            var lines = File.ReadAllLines(server.ErrorLog);
            Assert.True(lines.Any(l => l.Contains("[error] ", StringComparison.Ordinal) && l.Contains(message, StringComparison.Ordinal)
                    && l.Contains($"request: \"GET {target} HTTP/1.1\"{upstream}", StringComparison.Ordinal)),
                $"{server.Flavor}'s log lacks the line \"{message}\" with \"{upstream}\":\n" + string.Join("\n", lines));
        }
    }

    [Theory]
    [InlineData("/sni/a", "sni=[sni.test]\n")]
    [InlineData("/sni-name/b", "sni=[named.test]\n")]
    [InlineData("/sni-off/c", "sni=[]\n")]
    [InlineData("/sni-ip/d", "sni=[]\n")]
    public void SuwsgiPass_ServerNameAndSslName_BackendSeesTheSameSniAsFromNginx(string target, string expected)
    {
        var lite = Both(target);
        Assert.Equal(200, lite.Status);
        Assert.Equal(expected, Body(lite));
    }

    [Fact]
    public void SuwsgiPass_BackendNotTls_502WithHandshakeErrorLine()
    {
        // The front's own plain HTTP port: each server answers the ClientHello as a bad HTTP request. OpenSSL's and
        // .NET's texts for that differ, so only the phase and the upstream part are compared.
        var lite = Both("/not-tls/", ["Content-Type"]);
        Assert.Equal(502, lite.Status);
        foreach (var server in new[] { fixture.Pair.Nginx!, fixture.Pair.NginxLite })
        {
            var lines = File.ReadAllLines(server.ErrorLog);
            Assert.True(lines.Any(l => l.Contains("[error] ", StringComparison.Ordinal) && l.Contains(" while SSL handshaking to upstream, ", StringComparison.Ordinal)
                    && l.Contains($", upstream: \"suwsgi://127.0.0.1:{server.Port}\"", StringComparison.Ordinal)),
                $"{server.Flavor}'s log lacks the handshake line:\n" + string.Join("\n", lines));
        }
    }

    [Fact]
    public void SuwsgiPass_HandshakeNotAnswered_504WithNginxTimeoutLine()
    {
        var lite = Both("/silent/", ["Content-Type", "X-Upstream-Status"]);
        Assert.Equal(504, lite.Status);
        foreach (var server in new[] { fixture.Pair.Nginx!, fixture.Pair.NginxLite })
        {
            Assert.Contains("[error] upstream timed out (110: Connection timed out) while SSL handshaking to upstream", UpstreamPair.LogLines(server));
        }
    }

    [Fact]
    public void SuwsgiPass_GroupFirstPeerRefusedByVerify_NextPeerAnswersAsNginx()
    {
        // The refused handshake counts as "error" for uwsgi_next_upstream: the second peer answers, and both attempts
        // are in $upstream_addr / $upstream_status, the same in both servers.
        var lite = Both("/mixed/m");
        Assert.Equal(200, lite.Status);
        Assert.Equal([$"127.0.0.1:{fixture.ExpiredPort}, 127.0.0.1:{fixture.GoodPort}"], lite.HeaderValues("X-Upstream-Addr"));
        Assert.Equal(["502, 200"], lite.HeaderValues("X-Upstream-Status"));
        Assert.Contains("PATH_INFO=/mixed/m\n", Body(lite), StringComparison.Ordinal);
    }
}
