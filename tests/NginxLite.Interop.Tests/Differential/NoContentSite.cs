using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// nginx 1.22.1 and nginxlite on one config of 204/304 answers: <c>return</c>, <c>try_files =204</c>,
/// <c>error_page =204</c> (URI, named location, file), and upstreams answering 204/304 (a backend nginx behind
/// proxy_pass, php-fpm behind fastcgi_pass, a uWSGI app behind uwsgi_pass). Each front listens on HTTP/1.1
/// (<see cref="ServerProcess.Port"/>) and on an h2c <c>listen … http2</c> port (<see cref="NginxH2"/>, <see cref="LiteH2"/>).
/// </summary>
public sealed class NoContentSite : IDisposable
{
    public const string LastModified = "Wed, 01 Jan 2020 00:00:00 GMT";

    private readonly List<IDisposable> _owned = [];

    public NoContentSite()
    {
        var dir = new TempDir("nginxlite-204-");
        _owned.Add(dir);
        try
        {
            Www = dir.Dir("www");
            Directory.CreateDirectory(Path.Combine(Www, "st"));
            File.WriteAllText(Path.Combine(Www, "st", "f.txt"), "file\n");
            WritePhp(Www);
            var uwsgi = Backends.StartUwsgi(dir, dir.File("app.py", App), processes: 1);
            _owned.Add(uwsgi);
            var fpm = Backends.StartPhpFpm(dir, children: 1);
            _owned.Add(fpm);
            var backend = NginxBackend.Start(dir.Dir("backend") + "/", $$"""
                location /nc { add_header Last-Modified "{{LastModified}}"; return 204; }
                location /nct { add_header Content-Type text/html; return 204; }
                location /ncl { add_header Content-Length 0; return 204; }
                location /r205 { return 205 "xyz"; }
                """);
            _owned.Add(backend);

            string Config(int port, int h2) => $$"""
                pid logs/front.pid;
                events { }
                http {
                    access_log off;
                    default_type text/plain;
                    server {
                        listen 127.0.0.1:{{port}};
                        listen 127.0.0.1:{{h2}} http2;
                        root {{Www}};
                        location /a { return 204; }
                        location /b { return 204 "x"; }
                        location /c { return 304 "abcd"; }
                        location /d { return 304; }
                        location /e { default_type text/html; return 204; }
                        location /f { return 205 "x"; }
                        location /g { return 200; }
                        location /h { try_files /nonexistent =204; }
                        location /i { error_page 404 =204 /empty; return 404; }
                        location = /empty { return 200 "empty-body"; }
                        location /j { error_page 404 =204 @x; return 404; }
                        location @x { return 200 "named"; }
                        location /k { error_page 418 =204 /st/f.txt; return 418; }
                        location /st/ { }
                        location /n { add_header Last-Modified "{{LastModified}}"; return 204; }
                        location /p/ { proxy_pass http://127.0.0.1:{{backend.Port}}/; }
                        location ~ \.php$ { fastcgi_pass unix:{{fpm.Socket}}; include {{RepoPaths.Conf}}/fastcgi.conf; }
                        location /u/ { uwsgi_pass unix:{{uwsgi.Socket}}; include {{RepoPaths.Conf}}/uwsgi_params; }
                    }
                }
                """;

            Nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir("nginx") + "/", p => Config(p, NginxH2 = FreePort.Next()));
            _owned.Add(Nginx);
            Lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Dir("lite") + "/", p => Config(p, LiteH2 = FreePort.Next()));
            _owned.Add(Lite);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Www { get; }

    public ServerProcess Nginx { get; }

    public ServerProcess Lite { get; }

    public int NginxH2 { get; private set; }

    public int LiteH2 { get; private set; }

    /// <summary>A uWSGI app answering 204/205/304 with a Content-Type, a Last-Modified, a Content-Length or a body.</summary>
    private const string App = $$"""
        def application(environ, start_response):
            p = environ.get('PATH_INFO', '')
            lm = ('Last-Modified', '{{LastModified}}')
            answers = {
                '/u/204': ('204 No Content', [('Content-Type', 'text/html'), lm], b''),
                '/u/204body': ('204 No Content', [('Content-Type', 'text/html')], b'xyz'),
                '/u/204cl': ('204 No Content', [('Content-Type', 'text/html'), ('Content-Length', '0')], b''),
                '/u/204cl3': ('204 No Content', [('Content-Type', 'text/html'), ('Content-Length', '3')], b'xyz'),
                '/u/205': ('205 Reset Content', [('Content-Type', 'text/html'), ('Content-Length', '3')], b'xyz'),
                '/u/304': ('304 Not Modified', [('Content-Type', 'text/html'), lm], b''),
            }
            status, headers, body = answers.get(p, ('200 OK', [('Content-Type', 'text/plain')], b'ok'))
            start_response(status, headers)
            return [body]
        """;

    private static void WritePhp(string www)
    {
        File.WriteAllText(Path.Combine(www, "s204.php"),
            $"<?php http_response_code(204); header(\"Content-Type: text/html\"); header(\"Last-Modified: {LastModified}\");\n");
        File.WriteAllText(Path.Combine(www, "s204b.php"),
            "<?php http_response_code(204); header(\"Content-Type: text/html\"); echo \"body\";\n");
        File.WriteAllText(Path.Combine(www, "s204cl.php"),
            "<?php http_response_code(204); header(\"Content-Type: text/html\"); header(\"Content-Length: 4\"); echo \"body\";\n");
        File.WriteAllText(Path.Combine(www, "s304.php"),
            $"<?php http_response_code(304); header(\"Content-Type: text/html\"); header(\"Last-Modified: {LastModified}\");\n");
    }

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }

        _owned.Clear();
    }
}
