using NginxLite.Interop.Tests.Apps;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.Interop.Tests.Upstreams;

namespace NginxLite.Interop.Tests.Http2Listen;

/// <summary>
/// One WSGI app (<see cref="Backends.EchoWsgi"/>: the environ and a digest of the body, or <c>/big/N</c> streamed in
/// 8 KiB parts) served twice on cleartext <c>listen … http2</c> ports: (a) nginx 1.22.1 → uwsgi_pass with Debian's
/// uwsgi_params → real uWSGI, (b) nginxlite → app_pass → an <c>app</c> pool running the same file. The WSGI contract
/// says the two environs are built from the same request the same way (PEP 3333 "environ Variables").
/// </summary>
public sealed class H2AppPassPair : OwnedFixture
{
    public H2AppPassPair()
        : base("nginxlite-h2-app-")
    {
        try
        {
            var app = Temp.File("app/echo.py", Backends.EchoWsgi);
            var uwsgi = Own(Backends.StartUwsgi(Temp, app, processes: 1));
            Nginx = Own(ServerProcess.Start(ServerFlavor.Nginx, Temp.Dir("nginx") + "/",
                p => Config(p, $"location / {{ uwsgi_pass unix:{uwsgi.Socket}; include {NginxUwsgiFront.UwsgiParams}; }}")));
            NginxLite = Own(AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, Temp.Dir("lite") + "/",
                p => Config(p, "location / { app_pass a; }", $"app a {{ wsgi_file {app}; }}"))));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ServerProcess Nginx { get; } = null!;

    public ServerProcess NginxLite { get; } = null!;

    private static string Config(int port, string location, string apps = "") => $$"""
        pid logs/h2.pid;
        error_log logs/error.log notice;
        events { }
        http {
            access_log off;
            client_max_body_size 64m;
            {{apps}}
            server {
                listen 127.0.0.1:{{port}} http2;
                {{location}}
            }
        }
        """;
}
