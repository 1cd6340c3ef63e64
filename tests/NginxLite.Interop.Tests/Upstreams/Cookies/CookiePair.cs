using System.Globalization;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.Cookies;

/// <summary>
/// The echo backend answering <c>/cookies?c=…</c> with those Set-Cookie lines, and nginx and nginxlite in front of it
/// with the same proxy_cookie_domain / proxy_cookie_path / proxy_cookie_flags rules: plain, regex with captures,
/// variables, several on one level, inherited from the server level, and cleared with <c>off</c>.
/// </summary>
public sealed class CookiePair : OwnedFixture
{

    public CookiePair()
        : base("nginxlite-cookie-")
    {
        try
        {
            var port = FreePort.Next();
            Own(new EchoBackend(port.ToString(CultureInfo.InvariantCulture)));
            var backend = "http://127.0.0.1:" + port + "/cookies";
            Pair = Own(new UpstreamPair(Temp, listen => $$"""
                worker_processes 1;
                error_log logs/error.log;
                pid logs/server.pid;
                events { worker_connections 64; }
                http {
                    access_log off;
                    server_tokens off;
                    server {
                        listen 127.0.0.1:{{listen}};
                        server_name localhost;
                        proxy_cookie_path /srv/ /server/;
                        location /domain/ {
                            proxy_pass {{backend}};
                            proxy_cookie_domain localhost example.org;
                            proxy_cookie_domain .Old.Example .new.example;
                            proxy_cookie_domain www.$host $host;
                            proxy_cookie_domain ~\.(?P<sl>[-0-9a-z]+\.[a-z]+)$ $sl;
                        }
                        location /path/ {
                            proxy_pass {{backend}};
                            proxy_cookie_path /two/ /;
                            proxy_cookie_path ~*^/UP/(.*)$ /up/$1;
                            proxy_cookie_path $arg_from $arg_to;
                        }
                        location /flags/ {
                            proxy_pass {{backend}};
                            proxy_cookie_flags one secure httponly;
                            proxy_cookie_flags ~^t samesite=strict nosecure;
                            proxy_cookie_flags three samesite=lax nohttponly bogus;
                            proxy_cookie_flags four nosamesite samesite=none;
                            proxy_cookie_flags $arg_name $arg_flag;
                        }
                        location /inherit/ { proxy_pass {{backend}}; }
                        location /off/ { proxy_pass {{backend}}; proxy_cookie_path off; }
                        location /all/ {
                            proxy_pass {{backend}};
                            proxy_cookie_domain localhost example.org;
                            proxy_cookie_path / /app/;
                            proxy_cookie_flags ~ secure samesite=lax;
                        }
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
