using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.AccelRedirect;

/// <summary>
/// A backend nginx that answers with <c>X-Accel-Redirect: $arg_xar</c> (plus a cookie, a cache header and one that
/// is not kept), and nginx and nginxlite in front of it with the same config: an <c>internal</c> location serving
/// static files, a named location, and a location with <c>proxy_ignore_headers X-Accel-Redirect</c>.
/// </summary>
public sealed class AccelRedirectPair : IDisposable
{
    private readonly TempDir _dir = new("nginxlite-xar-");
    private readonly List<IDisposable> _owned = [];

    public AccelRedirectPair()
    {
        try
        {
            var www = _dir.Dir("www");
            _dir.File("www/files/a.txt", "protected file a\n");
            _dir.File("www/files/a b.txt", "protected file with a space\n");
            _dir.File("www/secret.txt", "secret\n");
            var backend = Own(ServerProcess.Start(ServerFlavor.Nginx, _dir.Dir("backend"), port => $$"""
                worker_processes 1;
                error_log logs/error.log;
                pid logs/server.pid;
                events { worker_connections 64; }
                http {
                    access_log off;
                    server_tokens off;
                    default_type text/plain;
                    server {
                        listen 127.0.0.1:{{port}};
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
                    }
                }
                """));
            Pair = Own(new UpstreamPair(_dir, port => $$"""
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

    private T Own<T>(T item)
        where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _dir.Dispose();
    }
}
