using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.AppCli;

/// <summary>The programs and files the front-end tests start: nginxlite, real uWSGI and gunicorn, nginx in front.</summary>
internal static class AppCliPeers
{
    public const int SigInt = 2;

    public static string NginxLite => NginxLiteExecutable.Find().Path;

    public const string Uwsgi = "/usr/bin/uwsgi";

    public const string Gunicorn = "/usr/bin/gunicorn";

    /// <summary>Copies seed files (used as they are) into <paramref name="dir"/>.</summary>
    public static void CopySeed(TempDir dir, params string[] files)
    {
        foreach (var f in files)
        {
            File.Copy(Path.Combine(RepoPaths.Seed, f), Path.Combine(dir.Path, f));
        }
    }

    /// <summary>A real nginx with <c>uwsgi_pass unix:SOCKET; include uwsgi_params;</c> as users write it.</summary>
    public static ServerProcess NginxInFront(string prefix, string socket) => ServerProcess.Start(ServerFlavor.Nginx, prefix, port => $$"""
        worker_processes 1;
        error_log logs/error.log;
        pid logs/nginx.pid;
        events { worker_connections 64; }
        http {
            access_log off;
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    uwsgi_pass unix:{{socket}};
                    include {{RepoPaths.Conf}}/uwsgi_params;
                }
            }
        }
        """);

    public static int Port() => FreePort.Next();
}
