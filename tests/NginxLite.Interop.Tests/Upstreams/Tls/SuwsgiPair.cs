using System.Net;
using System.Net.Sockets;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.Tls;

/// <summary>
/// uWSGI (python3 plugin, the echo WSGI app) with two <c>--ssl-socket</c>s (the CA-signed backend.test certificate and
/// an expired one) and a plain Unix socket, a <see cref="SniUwsgiServer"/>, and nginx and nginxlite in front of them
/// with the same <c>uwsgi_pass suwsgi://…</c> config (the certificates of the https upstream tests). Started once per
/// test class.
/// </summary>
public sealed class SuwsgiPair : OwnedFixture
{
    public SuwsgiPair()
        : base("nginxlite-suwsgi-")
    {
        try
        {
            var certs = new TestCertificates(Temp.Dir("certs"));
            GoodPort = FreePort.Next();
            ExpiredPort = FreePort.Next();
            var app = Temp.File("echo_app.py", Backends.EchoWsgi);
            var socket = Path.Combine(Temp.Path, "uwsgi.sock");
            // BackendProcess waits for the Unix socket; uWSGI's master binds every socket before it accepts on any.
            Uwsgi = Own(BackendProcess.Start(Backends.Uwsgi,
                ["--plugin", "python3", "--socket", socket, "--chmod-socket=666",
                 "--ssl-socket", $"127.0.0.1:{GoodPort},{certs.Server},{certs.ServerKey}",
                 "--ssl-socket", $"127.0.0.1:{ExpiredPort},{certs.Expired},{certs.ExpiredKey}",
                 "--wsgi-file", app, "--processes", "2", "--master", "--die-on-term", "--need-app", "--disable-logging", "--buffer-size", "32768"],
                socket, 2 /* SIGINT: uWSGI's immediate shutdown */));
            Sni = Own(new SniUwsgiServer(certs.Server, certs.ServerKey));
            // Listens and never accepts: the kernel completes the TCP connect, the ClientHello is never answered.
            Silent = Own(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            Silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Silent.Listen(16);
            var silent = ((IPEndPoint)Silent.LocalEndPoint!).Port;
            var (good, expired, sni) = (GoodPort, ExpiredPort, Sni.Port);
            Pair = Own(new UpstreamPair(Temp, port => UpstreamConfig.Http($$"""
                    upstream backend.test { server 127.0.0.1:{{good}}; }
                    upstream sni.test { server 127.0.0.1:{{sni}}; }
                    upstream mixed { server 127.0.0.1:{{expired}}; server 127.0.0.1:{{good}}; }
                    include {{RepoPaths.Conf}}/uwsgi_params;
                    uwsgi_ssl_trusted_certificate {{certs.Ca}};
                    # A resumed session would carry the first handshake's SNI: each request's handshake its own.
                    uwsgi_ssl_session_reuse off;
                    # nginx 1.22's default stops at TLSv1.2; nginxlite's is 1.23.4's (docs/upstreams.md).
                    uwsgi_ssl_protocols TLSv1.2 TLSv1.3;
                    server {
                        listen 127.0.0.1:{{port}};
                        server_name localhost;
                        root {{Temp.Path}}; # uwsgi_params sends DOCUMENT_ROOT
                        add_header X-Upstream-Addr $upstream_addr always;
                        add_header X-Upstream-Status $upstream_status always;
                        location / { uwsgi_pass suwsgi://127.0.0.1:{{good}}; }
                        location /group/ { uwsgi_pass suwsgi://backend.test; }
                        location /plain/ { uwsgi_pass unix:{{socket}}; }
                        location /verify/ { uwsgi_pass suwsgi://backend.test; uwsgi_ssl_verify on; }
                        location /verify-name/ { uwsgi_pass suwsgi://127.0.0.1:{{good}}; uwsgi_ssl_verify on; uwsgi_ssl_name backend.test; }
                        location /verify-ip/ { uwsgi_pass suwsgi://127.0.0.1:{{good}}; uwsgi_ssl_verify on; }
                        location /wrong-ca/ {
                            uwsgi_pass suwsgi://backend.test; uwsgi_ssl_verify on; uwsgi_ssl_trusted_certificate {{certs.SelfSigned}};
                        }
                        location /expired/ { uwsgi_pass suwsgi://127.0.0.1:{{expired}}; uwsgi_ssl_verify on; uwsgi_ssl_name backend.test; }
                        location /expired-off/ { uwsgi_pass suwsgi://127.0.0.1:{{expired}}; }
                        location /var/ { uwsgi_pass $arg_to; }
                        location /sni/ { uwsgi_pass suwsgi://sni.test; uwsgi_ssl_server_name on; }
                        location /sni-name/ { uwsgi_pass suwsgi://127.0.0.1:{{sni}}; uwsgi_ssl_server_name on; uwsgi_ssl_name named.test; }
                        location /sni-off/ { uwsgi_pass suwsgi://sni.test; }
                        location /sni-ip/ { uwsgi_pass suwsgi://127.0.0.1:{{sni}}; uwsgi_ssl_server_name on; }
                        location /not-tls/ { uwsgi_pass suwsgi://127.0.0.1:{{port}}; }
                        location /silent/ { uwsgi_pass suwsgi://127.0.0.1:{{silent}}; uwsgi_connect_timeout 1s; }
                        location /mixed/ { uwsgi_pass suwsgi://mixed; uwsgi_ssl_verify on; uwsgi_ssl_name backend.test; }
                    }
                """)));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public BackendProcess Uwsgi { get; } = null!;

    public SniUwsgiServer Sni { get; } = null!;

    /// <summary>A TCP port that is connected to and never answers (a handshake that times out).</summary>
    public Socket Silent { get; } = null!;

    public UpstreamPair Pair { get; } = null!;

    /// <summary>uWSGI's --ssl-socket with the CA-signed backend.test certificate.</summary>
    public int GoodPort { get; }

    /// <summary>uWSGI's --ssl-socket with an expired backend.test certificate.</summary>
    public int ExpiredPort { get; }
}
