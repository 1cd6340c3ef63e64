using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.Interop.Tests.Upstreams;

namespace NginxLite.Interop.Tests.Http2Listen;

/// <summary>
/// nginx 1.22.1 and nginxlite on cleartext <c>listen … http2</c> ports with the same proxy_pass locations to one
/// <see cref="EchoBackend"/> on a Unix socket (it answers with the request line, header lines in order and a digest of
/// the body it got): <c>/b10/</c> proxy_http_version 1.0 (the default), <c>/b11/</c> 1.1, <c>/s11/</c> 1.1 with
/// proxy_request_buffering off, <c>/s10/</c> 1.0 with proxy_request_buffering off; <c>/r/</c> (1.1, the prefix cut)
/// reaches the backend's own routes (<c>/chunked/N</c>, <c>/close/N</c>, <c>/bytes/N</c>).
/// </summary>
public sealed class H2ProxyBodyPair : OwnedFixture
{
    public H2ProxyBodyPair()
        : base("nginxlite-h2-proxy-")
    {
        try
        {
            var socket = Path.Combine(Temp.Path, "echo.sock");
            Own(new EchoBackend("unix:" + socket));
            Nginx = Own(ServerProcess.Start(ServerFlavor.Nginx, Temp.Dir("nginx") + "/", p => Config(p, socket)));
            NginxLite = Own(ServerProcess.Start(ServerFlavor.NginxLite, Temp.Dir("lite") + "/", p => Config(p, socket)));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ServerProcess Nginx { get; } = null!;

    public ServerProcess NginxLite { get; } = null!;

    private static string Config(int port, string socket) => $$"""
        pid logs/h2.pid;
        events { }
        http {
            access_log off;
            client_max_body_size 64m;
            server {
                listen 127.0.0.1:{{port}} http2;
                location /b10/ { proxy_pass http://unix:{{socket}}:; }
                location /b11/ { proxy_pass http://unix:{{socket}}:; proxy_http_version 1.1; }
                location /s11/ { proxy_pass http://unix:{{socket}}:; proxy_http_version 1.1; proxy_request_buffering off; }
                location /s10/ { proxy_pass http://unix:{{socket}}:; proxy_request_buffering off; }
                location /r/ { proxy_pass http://unix:{{socket}}:/; proxy_http_version 1.1; }
            }
        }
        """;
}
