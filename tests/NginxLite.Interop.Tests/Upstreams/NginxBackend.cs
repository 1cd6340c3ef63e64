using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// A backend Debian nginx in its own prefix, on a free 127.0.0.1 port, with no access log and text/plain answers:
/// the upstream the differential upstream fixtures put nginx and nginxlite in front of.
/// </summary>
internal static class NginxBackend
{
    /// <summary>A backend whose one server block holds <paramref name="locations"/> after its listen.</summary>
    public static ServerProcess Start(string prefix, string locations) =>
        ServerProcess.Start(ServerFlavor.Nginx, prefix, port => $$"""
            worker_processes 1;
            error_log logs/error.log;
            pid logs/server.pid;
            events { worker_connections 64; }
            http {
                access_log off;
                server_tokens off;
                default_type text/plain;
                server { listen 127.0.0.1:{{port}}; {{locations}} }
            }
            """);

    /// <summary>A backend whose <c>location /</c> runs <paramref name="body"/> (e.g. a <c>return</c>).</summary>
    public static ServerProcess Answering(string prefix, string body) => Start(prefix, $"location / {{ {body} }}");
}
