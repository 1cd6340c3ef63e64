using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.Tls;

/// <summary>
/// Debian's nginx as the TLS backend (one <c>listen … ssl</c> server per certificate case, each answering with the
/// SNI it saw, the protocol and the connection's request count), and nginx and nginxlite in front of it with the same
/// <c>proxy_pass https://…</c> config. Started once per test class.
/// </summary>
public sealed class TlsProxyPair : OwnedFixture
{

    public TlsProxyPair()
        : base("nginxlite-tls-")
    {
        try
        {
            var certs = new TestCertificates(Temp.Dir("certs"));
            var wrong = FreePort.Next();
            var expired = FreePort.Next();
            var self = FreePort.Next();
            var client = FreePort.Next();
            PlainPort = FreePort.Next();
            const string Answer = "sni=[$ssl_server_name] protocol=$ssl_protocol uri=$request_uri requests=$connection_requests";
            string Ssl(string cert, string key) => $"ssl_certificate {cert}; ssl_certificate_key {key};";
            Backend = Own(ServerProcess.Start(ServerFlavor.Nginx, Temp.Dir("backend"), port => $$"""
                worker_processes 1;
                error_log logs/error.log;
                pid logs/server.pid;
                events { worker_connections 512; }
                http {
                    log_format sni '$server_port sni=[$ssl_server_name] $request_uri';
                    access_log logs/access.log sni;
                    server_tokens off;
                    default_type text/plain;
                    ssl_protocols TLSv1.2 TLSv1.3; # 1.22's default stops at TLSv1.2
                    server { listen 127.0.0.1:{{port}} ssl; {{Ssl(certs.Server, certs.ServerKey)}} location / { return 200 "good {{Answer}}\n"; } }
                    server { listen 127.0.0.1:{{wrong}} ssl; {{Ssl(certs.WrongName, certs.WrongNameKey)}} location / { return 200 "wrong {{Answer}}\n"; } }
                    server { listen 127.0.0.1:{{expired}} ssl; {{Ssl(certs.Expired, certs.ExpiredKey)}} location / { return 200 "expired {{Answer}}\n"; } }
                    server { listen 127.0.0.1:{{self}} ssl; {{Ssl(certs.SelfSigned, certs.SelfSignedKey)}} location / { return 200 "self {{Answer}}\n"; } }
                    server {
                        listen 127.0.0.1:{{client}} ssl; {{Ssl(certs.Server, certs.ServerKey)}}
                        ssl_client_certificate {{certs.Ca}}; ssl_verify_client on;
                        location / { return 200 "client dn=$ssl_client_s_dn verify=$ssl_client_verify {{Answer}}\n"; }
                    }
                    server { listen 127.0.0.1:{{PlainPort}}; location / { return 200 "plain http\n"; } }
                }
                """));
            var b = Backend.Port;
            Pair = Own(new UpstreamPair(Temp, port => UpstreamConfig.Http($$"""
                    upstream backend.test { server 127.0.0.1:{{b}}; }
                    upstream tlspool { server 127.0.0.1:{{b}}; keepalive 4; }
                    server {
                        listen 127.0.0.1:{{port}};
                        server_name localhost;
                        proxy_ssl_trusted_certificate {{certs.Ca}};
                        # nginx resumes a peer's cached session, and the backend then reports that session's SNI and
                        # client certificate: off keeps each request's handshake its own, so they can be compared.
                        proxy_ssl_session_reuse off;
                        # nginx 1.22's default stops at TLSv1.2; nginxlite's is 1.23.4's (docs/upstreams.md).
                        proxy_ssl_protocols TLSv1.2 TLSv1.3;
                        location /plain/ { proxy_pass https://127.0.0.1:{{b}}/; }
                        location /sni/ { proxy_pass https://backend.test/; proxy_ssl_server_name on; }
                        location /sni-name/ { proxy_pass https://127.0.0.1:{{b}}/; proxy_ssl_server_name on; proxy_ssl_name backend.test; }
                        location /sni-ip/ { proxy_pass https://127.0.0.1:{{b}}/; proxy_ssl_server_name on; }
                        location /verify/ { proxy_pass https://backend.test/; proxy_ssl_verify on; }
                        location /verify-ip/ { proxy_pass https://127.0.0.1:{{b}}/; proxy_ssl_verify on; }
                        location /wrong/ { proxy_pass https://127.0.0.1:{{wrong}}/; proxy_ssl_verify on; proxy_ssl_name backend.test; }
                        location /wrong-off/ { proxy_pass https://127.0.0.1:{{wrong}}/; }
                        location /expired/ { proxy_pass https://127.0.0.1:{{expired}}/; proxy_ssl_verify on; proxy_ssl_name backend.test; }
                        location /expired-off/ { proxy_pass https://127.0.0.1:{{expired}}/; }
                        location /self/ { proxy_pass https://127.0.0.1:{{self}}/; proxy_ssl_verify on; proxy_ssl_name backend.test; }
                        location /self-off/ { proxy_pass https://127.0.0.1:{{self}}/; }
                        location /client-none/ { proxy_pass https://127.0.0.1:{{client}}/; }
                        location /client/ { proxy_pass https://127.0.0.1:{{client}}/; proxy_ssl_certificate {{certs.Client}}; proxy_ssl_certificate_key {{certs.ClientKey}}; }
                        location /tls12/ { proxy_pass https://127.0.0.1:{{b}}/; proxy_ssl_protocols TLSv1.2; }
                        location /ka/ { proxy_pass https://tlspool/; proxy_http_version 1.1; proxy_set_header Connection ""; }
                        location /not-tls/ { proxy_pass https://127.0.0.1:{{PlainPort}}/; }
                    }
                """)));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ServerProcess Backend { get; } = null!;

    public UpstreamPair Pair { get; } = null!;

    public int PlainPort { get; }
}
