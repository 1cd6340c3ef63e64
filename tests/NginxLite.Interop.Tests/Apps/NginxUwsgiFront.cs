using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// Debian's real nginx in front of one uwsgi socket, configured the way users do it:
/// <c>uwsgi_pass unix:SOCKET; include /etc/nginx/uwsgi_params;</c> (nginx's own params file).
/// </summary>
public sealed class NginxUwsgiFront : IDisposable
{
    public const string UwsgiParams = "/etc/nginx/uwsgi_params";

    public NginxUwsgiFront(TempDir dir, string socket, string name = "nginx")
    {
        Nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir(name), port => Config(port, socket));
    }

    public ServerProcess Nginx { get; }

    public int Port => Nginx.Port;

    public static string Config(int port, string socket) => $$"""
        worker_processes 1;
        error_log logs/error.log;
        pid logs/server.pid;
        events { worker_connections 256; }
        http {
            access_log off;
            server_tokens off;
            client_max_body_size 64m;
            server {
                listen 127.0.0.1:{{port}};
                server_name localhost;
                location / {
                    uwsgi_pass unix:{{socket}};
                    include {{UwsgiParams}};
                }
            }
        }
        """;

    public void Dispose() => Nginx.Dispose();
}
