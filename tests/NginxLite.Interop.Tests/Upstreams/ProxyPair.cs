using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// Debian's nginx and nginxlite with the same proxy config, in front of the same upstreams: the echo backend on a
/// loopback port and on a Unix socket, a refused port, and fault servers. Started once per test class.
/// </summary>
public sealed class ProxyPair : OwnedFixture
{

    public ProxyPair()
        : base("nginxlite-proxy-")
    {
        try
        {
            var backendPort = FreePort.Next();
            Backend = Own(new EchoBackend(backendPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            BackendAddress = "127.0.0.1:" + backendPort;
            SocketPath = Path.Combine(Temp.Path, "app.sock");
            Own(new EchoBackend("unix:" + SocketPath));
            RefusedPort = FreePort.Next();
            var reset = Own(new FaultUpstream(FaultUpstream.Fault.ResetBeforeHeaders));
            var garbage = Own(new FaultUpstream(FaultUpstream.Fault.Garbage));
            var hang = Own(new FaultUpstream(FaultUpstream.Fault.Hang));
            var midBody = Own(new FaultUpstream(FaultUpstream.Fault.ResetMidBody));
            var big = Own(new FaultUpstream(FaultUpstream.Fault.TooBigHeader));
            string Config(int port) => UpstreamConfig.Http($$"""
                    upstream pool { server 127.0.0.1:{{RefusedPort}}; server {{BackendAddress}}; }
                    upstream ka { server {{BackendAddress}}; keepalive 8; }
                    server {
                        listen 127.0.0.1:{{port}};
                        server_name localhost;
                        location / { proxy_pass http://{{BackendAddress}}; }
                        location /prefix/ { proxy_pass http://{{BackendAddress}}/base/; proxy_set_header X-Real-IP $remote_addr; }
                        location /unix/ { proxy_pass http://unix:{{SocketPath}}:/u/; }
                        location /stream/ { proxy_pass http://{{BackendAddress}}; proxy_http_version 1.1; proxy_request_buffering off; proxy_buffering off; }
                        location /ka/ { proxy_pass http://ka; proxy_http_version 1.1; proxy_set_header Connection ""; }
                        location /pool/ { proxy_pass http://pool; }
                        location /hidden/ { proxy_pass http://{{BackendAddress}}/headers; proxy_hide_header X-Custom; proxy_pass_header Server; }
                        location /refused/ { proxy_pass http://127.0.0.1:{{RefusedPort}}; }
                        location /reset/ { proxy_pass http://127.0.0.1:{{reset.Port}}; }
                        location /garbage/ { proxy_pass http://127.0.0.1:{{garbage.Port}}; }
                        location /hang/ { proxy_pass http://127.0.0.1:{{hang.Port}}; proxy_read_timeout 1s; }
                        location /midbody/ { proxy_pass http://127.0.0.1:{{midBody.Port}}; }
                        location /bigheader/ { proxy_pass http://127.0.0.1:{{big.Port}}; }
                        location /intercept/ { proxy_pass http://{{BackendAddress}}/status/; proxy_intercept_errors on; error_page 404 = /fallback; }
                        location = /fallback { return 200 "fallback page"; }
                    }
                """);
            Reference = Own(ServerProcess.Start(ServerFlavor.Nginx, Temp.Dir("nginx"), Config));
            Candidate = Own(ServerProcess.Start(ServerFlavor.NginxLite, Temp.Dir("nginxlite"), Config));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EchoBackend Backend { get; } = null!;

    public string BackendAddress { get; } = "";

    public string SocketPath { get; } = "";

    public int RefusedPort { get; }

    public ServerProcess Reference { get; } = null!;

    public ServerProcess Candidate { get; } = null!;
}
