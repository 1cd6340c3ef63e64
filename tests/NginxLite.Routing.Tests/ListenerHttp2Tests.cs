namespace NginxLite.Routing.Tests;

/// <summary><c>listen … http2</c> as nginx resolves it per address (ngx_http_add_addresses ORs the flag over every
/// listen directive of the address, like <c>ssl</c>).</summary>
public sealed class ListenerHttp2Tests
{
    [Fact]
    public void Listener_Http2OnOneServerOfAnAddress_WholeAddressSpeaksHttp2()
    {
        var table = RouteFixture.Compile("""
            server { listen 127.0.0.1:8443 ssl http2; server_name a.test; ssl_certificate a.pem; ssl_certificate_key a.key; }
            server { listen 127.0.0.1:8443 ssl; server_name b.test; ssl_certificate b.pem; ssl_certificate_key b.key; }
            server { listen 127.0.0.1:8080 http2; }
            server { listen 127.0.0.1:8081; }
            """);

        string Flags(int port) => table.Listeners.Single(l => l.Address.IP!.Port == port) is var l ? $"{l.Ssl} {l.Http2}" : "";
        Assert.Equal("True True", Flags(8443));
        Assert.Equal("False True", Flags(8080));
        Assert.Equal("False False", Flags(8081));
    }

    [Fact]
    public void Listener_Http2SpecificAddressFoldedIntoWildcard_WildcardSocketSpeaksHttp2()
    {
        var table = RouteFixture.Compile("""
            server { listen 8082; }
            server { listen 127.0.0.1:8082 http2; server_name h2.test; }
            """);

        var listener = Assert.Single(table.Listeners);
        Assert.True(listener.Address.IsWildcard);
        Assert.True(listener.Http2);
    }
}
