using System.Diagnostics;
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

    /// <summary>
    /// A real nginx with <c>uwsgi_pass unix:SOCKET; include uwsgi_params;</c> as users write it: one server per socket,
    /// the first on <see cref="ServerProcess.Port"/>, the others on the ports returned in <paramref name="otherPorts"/>.
    /// </summary>
    public static ServerProcess NginxInFront(string prefix, string socket, params string[] others) => NginxInFront(prefix, [socket, .. others], out _);

    public static ServerProcess NginxInFront(string prefix, string[] sockets, out int[] otherPorts)
    {
        var ports = sockets.Skip(1).Select(_ => Port()).ToArray();
        otherPorts = ports;
        return ServerProcess.Start(ServerFlavor.Nginx, prefix, port => $$"""
            worker_processes 1;
            error_log logs/error.log;
            pid logs/nginx.pid;
            events { worker_connections 64; }
            http {
                access_log off;
            {{string.Concat(sockets.Select((s, i) => $$"""
                server {
                    listen 127.0.0.1:{{(i == 0 ? port : ports[i - 1])}};
                    location / {
                        uwsgi_pass unix:{{s}};
                        include {{RepoPaths.Conf}}/uwsgi_params;
                    }
                }

            """))}}
            }
            """);
    }

    public static int Port() => FreePort.Next();

    /// <summary>Polls <paramref name="done"/> every 100 ms; false when it is still not true after 30 s.</summary>
    public static bool Eventually(Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return false;
            }

            Thread.Sleep(100);
        }

        return true;
    }
}
