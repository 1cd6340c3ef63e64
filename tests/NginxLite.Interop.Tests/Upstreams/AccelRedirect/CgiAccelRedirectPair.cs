using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.AccelRedirect;

/// <summary>
/// php-fpm running a script and uWSGI running a WSGI app that both answer with <c>X-Accel-Redirect: $arg_xar</c> (plus a
/// cookie, a cache header, a content type and one header that is not kept), and nginx and nginxlite in front with the
/// same config: fastcgi_pass and uwsgi_pass locations, each also with <c>*_ignore_headers X-Accel-Redirect</c>, an
/// <c>internal</c> location of static files and a named location.
/// </summary>
public sealed class CgiAccelRedirectPair : OwnedFixture
{

    public CgiAccelRedirectPair()
        : base("nginxlite-cgixar-")
    {
        try
        {
            var www = Temp.Dir("www");
            Temp.File("www/files/a.txt", "protected file a\n");
            Temp.File("www/secret.txt", "secret\n");
            var script = Temp.File("xar.php", """
                <?php
                if (isset($_GET["xar"])) { header("X-Accel-Redirect: " . $_GET["xar"]); }
                header("Content-Type: text/x-php");
                header("Set-Cookie: session=php");
                header("Cache-Control: no-cache");
                header("X-Other: dropped");
                echo "php body\n";
                """);
            var app = Temp.File("xar_app.py", """
                from urllib.parse import parse_qs

                def application(environ, start_response):
                    xar = parse_qs(environ.get("QUERY_STRING", "")).get("xar", [""])[0]
                    headers = [("Content-Type", "text/x-py"), ("Set-Cookie", "session=py"),
                               ("Cache-Control", "no-cache"), ("X-Other", "dropped")]
                    if xar:
                        headers.append(("X-Accel-Redirect", xar))
                    start_response("200 OK", headers)
                    return [b"python body\n"]
                """);
            var fpm = Own(Backends.StartPhpFpm(Temp));
            var uwsgi = Own(Backends.StartUwsgi(Temp, app));
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
                        location /php/ {
                            fastcgi_pass unix:{{fpm.Socket}};
                            fastcgi_param SCRIPT_FILENAME {{script}};
                            fastcgi_param QUERY_STRING $query_string;
                            fastcgi_param REQUEST_METHOD $request_method;
                        }
                        location /php-ignored/ {
                            fastcgi_pass unix:{{fpm.Socket}};
                            fastcgi_param SCRIPT_FILENAME {{script}};
                            fastcgi_param QUERY_STRING $query_string;
                            fastcgi_param REQUEST_METHOD $request_method;
                            fastcgi_ignore_headers X-Accel-Redirect;
                        }
                        location /py/ {
                            uwsgi_pass unix:{{uwsgi.Socket}};
                            uwsgi_param QUERY_STRING $query_string;
                            uwsgi_param REQUEST_METHOD $request_method;
                        }
                        location /py-ignored/ {
                            uwsgi_pass unix:{{uwsgi.Socket}};
                            uwsgi_param QUERY_STRING $query_string;
                            uwsgi_param REQUEST_METHOD $request_method;
                            uwsgi_ignore_headers X-Accel-Expires X-Accel-Redirect;
                        }
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
