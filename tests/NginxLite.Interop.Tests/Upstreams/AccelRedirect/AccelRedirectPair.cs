using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.AccelRedirect;

/// <summary>
/// A backend nginx that answers with <c>X-Accel-Redirect: $arg_xar</c> (plus a cookie, a cache header and one that
/// is not kept), and nginx and nginxlite in front of it with the same config: an <c>internal</c> location serving
/// static files, a named location, and a location with <c>proxy_ignore_headers X-Accel-Redirect</c>.
/// </summary>
public sealed class AccelRedirectPair : OwnedFixture
{

    public AccelRedirectPair()
        : base("nginxlite-xar-")
    {
        try
        {
            var www = Temp.Dir("www");
            Temp.File("www/files/a.txt", "protected file a\n");
            Temp.File("www/files/a b.txt", "protected file with a space\n");
            Temp.File("www/secret.txt", "secret\n");
            var backend = Own(NginxBackend.Start(Temp.Dir("backend"), """
                location / {
                    add_header X-Accel-Redirect $arg_xar;
                    add_header Set-Cookie "session=abc";
                    add_header Cache-Control no-cache;
                    add_header X-Other dropped;
                    return 200 "backend body\n";
                }
                location /cs {
                    default_type "text/x-back; charset=\"koi8-r\"";
                    add_header X-Accel-Redirect $arg_xar;
                    add_header Set-Cookie "session=cs";
                    return 200 "charset body\n";
                }
                """));
            Pair = Own(new UpstreamPair(Temp, port => $$"""
                worker_processes 1;
                error_log logs/error.log;
                pid logs/server.pid;
                events { worker_connections 64; }
                http {
                    access_log off;
                    server_tokens off;
                    types { text/html html; application/octet-stream txt; }
                    server {
                        listen 127.0.0.1:{{port}};
                        server_name localhost;
                        root {{www}};
                        location /files/ { internal; }
                        location /p/ { proxy_pass http://127.0.0.1:{{backend.Port}}/xar; }
                        location /ignored/ { proxy_pass http://127.0.0.1:{{backend.Port}}/xar; proxy_ignore_headers X-Accel-Redirect; }
                        location /pc/ { proxy_pass http://127.0.0.1:{{backend.Port}}/cs; }
                        location @named { return 200 "named uri=$uri args=$args\n"; }
                        location @gone { return 403; }
                    }
                }
                """));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public UpstreamPair Pair { get; } = null!;
}
