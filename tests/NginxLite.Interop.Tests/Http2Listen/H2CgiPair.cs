using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Http2Listen;

/// <summary>
/// The same CGI scripts on cleartext <c>listen … http2</c> ports: (a) nginx 1.22.1 → fastcgi_pass → fcgiwrap as the CGI
/// user (what people run today), (b) nginxlite's <c>cgi on</c> with <c>cgi_user</c> the same user. Scripts:
/// <c>env.cgi</c> prints RFC 3875 meta-variables, <c>echo.cgi</c> copies its stdin back.
/// </summary>
public sealed class H2CgiPair : OwnedFixture
{
    public H2CgiPair()
        : base("nginxlite-h2-cgi-")
    {
        try
        {
            TestUsers.Ensure();
            var html = Temp.Dir("html");
            Temp.Dir("html/cgi-bin");
            Temp.File("html/cgi-bin/env.cgi",
                "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$SERVER_PROTOCOL|$REQUEST_METHOD|$QUERY_STRING|$SCRIPT_NAME|$PATH_INFO|$CONTENT_LENGTH|$CONTENT_TYPE|$HTTP_X_TEST|$GATEWAY_INTERFACE\"");
            Temp.File("html/cgi-bin/echo.cgi", "#!/bin/sh\necho 'Content-Type: application/octet-stream'\necho\ncat");
            foreach (var file in Directory.GetFiles(Path.Combine(html, "cgi-bin")))
            {
                File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
            }

            var fcgiwrap = Own(Backends.StartFcgiWrapAs(Temp.Dir("fcgiwrap"), TestUsers.Cgi));
            Nginx = Own(ServerProcess.Start(ServerFlavor.Nginx, Temp.Dir("nginx") + "/", p => Config(p, html, $$"""
                location /cgi-bin/ {
                    include /etc/nginx/fastcgi_params;
                    fastcgi_split_path_info ^(/cgi-bin/[^/]+)(/.*)$;
                    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
                    fastcgi_param SCRIPT_NAME $fastcgi_script_name;
                    fastcgi_param PATH_INFO $fastcgi_path_info;
                    fastcgi_param HTTP_PROXY "";
                    fastcgi_pass unix:{{fcgiwrap.Socket}};
                }
                """)));
            NginxLite = Own(ServerProcess.Start(ServerFlavor.NginxLite, Temp.Dir("lite") + "/",
                p => Config(p, html, $"location /cgi-bin/ {{ cgi on; cgi_user {TestUsers.Cgi}; }}")));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ServerProcess Nginx { get; } = null!;

    public ServerProcess NginxLite { get; } = null!;

    private static string Config(int port, string root, string location) => $$"""
        pid logs/h2.pid;
        events { }
        http {
            access_log off;
            client_max_body_size 64m;
            server {
                listen 127.0.0.1:{{port}} http2;
                root {{root}};
                {{location}}
            }
        }
        """;
}
