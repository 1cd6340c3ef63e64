using Xunit;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>The real application servers of the upstream tests, each on a Unix socket in its own temp dir.</summary>
public static class Backends
{
    public const string PhpFpm = "/usr/sbin/php-fpm8.2";
    public const string Uwsgi = "/usr/bin/uwsgi";
    public const string FcgiWrap = "/usr/sbin/fcgiwrap";

    /// <summary>php-fpm in the foreground (-F) as root (-R), a static pool of <paramref name="children"/>, with a clean
    /// environment so $_SERVER holds only what the web server sent.</summary>
    public static BackendProcess StartPhpFpm(TempDir dir, int children = 2, string poolExtra = "")
    {
        var socket = Path.Combine(dir.Path, "php.sock");
        var config = dir.File("php-fpm.conf", $"""
            [global]
            pid = {dir.Path}/php-fpm.pid
            error_log = {dir.Path}/php-fpm.log
            daemonize = no
            [www]
            listen = {socket}
            listen.mode = 0666
            pm = static
            pm.max_children = {children}
            clear_env = yes
            catch_workers_output = yes
            php_admin_value[post_max_size] = 200M
            php_admin_value[memory_limit] = 512M
            php_admin_value[enable_post_data_reading] = 0
            {poolExtra}
            """);
        return BackendProcess.Start(PhpFpm, ["-F", "-R", "-n", "-y", config], socket, Servers.PosixSignal.Quit);
    }

    /// <summary>uWSGI with the python3 plugin running <paramref name="wsgiFile"/>'s <c>application</c>.</summary>
    public static BackendProcess StartUwsgi(TempDir dir, string wsgiFile, int processes = 2)
    {
        var socket = Path.Combine(dir.Path, "uwsgi.sock");
        return BackendProcess.Start(Uwsgi,
            ["--plugin", "python3", "--socket", socket, "--chmod-socket=666", "--wsgi-file", wsgiFile, "--processes", processes.ToString(),
             "--master", "--die-on-term", "--need-app", "--disable-logging", "--buffer-size", "32768"],
            socket, 2 /* SIGINT: uWSGI's immediate shutdown */);
    }

    /// <summary>fcgiwrap on a Unix socket: runs CGI scripts named by SCRIPT_FILENAME.</summary>
    public static BackendProcess StartFcgiWrap(TempDir dir)
    {
        var socket = Path.Combine(dir.Path, "fcgiwrap.sock");
        // One process (no -c): preforked children would outlive a SIGTERM to the parent.
        return BackendProcess.Start(FcgiWrap, ["-s", "unix:" + socket], socket, Servers.PosixSignal.Term);
    }

    /// <summary>fcgiwrap as <paramref name="user"/> (through setpriv, as a systemd unit's User= would; setpriv execs it in
    /// place, so the PID stopped is fcgiwrap's), on a socket in <paramref name="runDirectory"/>, given to that user.</summary>
    public static BackendProcess StartFcgiWrapAs(string runDirectory, string user)
    {
        TestUsers.Run("chown", user, runDirectory);
        var socket = Path.Combine(runDirectory, "fcgiwrap.sock");
        var gid = TestUsers.Run("id", "-g", user).Trim();
        return BackendProcess.Start("/usr/bin/setpriv",
            [$"--reuid={TestUsers.Uid(user)}", $"--regid={gid}", "--init-groups", "--", FcgiWrap, "-s", "unix:" + socket],
            socket, Servers.PosixSignal.Term);
    }

    /// <summary>The PHP scripts the tests call: params and body echo, status, headers, stderr.</summary>
    public static void WritePhpScripts(string root)
    {
        File.WriteAllText(Path.Combine(root, "dump.php"), """
            <?php
            // Every parameter the web server sent (sorted), then the body's size and md5.
            $body = file_get_contents("php://input");
            header("Content-Type: text/plain");
            $keys = array_keys($_SERVER);
            sort($keys);
            foreach ($keys as $k) {
                if (in_array($k, ["REQUEST_TIME", "REQUEST_TIME_FLOAT", "argv", "argc"], true)) continue;
                echo $k, "=", $_SERVER[$k], "\n";
            }
            echo "BODY_LENGTH=", strlen($body), "\n";
            echo "BODY_MD5=", md5($body), "\n";
            """);
        File.WriteAllText(Path.Combine(root, "status.php"), """
            <?php
            $code = (int)($_GET["code"] ?? 200);
            http_response_code($code);
            header("X-Code: " . $code);
            setcookie("first", "1");
            setcookie("second", "2");
            echo "status ", $code, "\n";
            """);
        File.WriteAllText(Path.Combine(root, "redirect.php"), """
            <?php
            header("Location: /elsewhere?x=1");
            """);
        File.WriteAllText(Path.Combine(root, "stderr.php"), """
            <?php
            error_log("something went wrong");
            echo "ok\n";
            """);
        File.WriteAllText(Path.Combine(root, "big.php"), """
            <?php
            // A body of ?n bytes, written in 8 KiB pieces.
            $n = (int)($_GET["n"] ?? 0);
            header("Content-Type: application/octet-stream");
            $chunk = str_repeat("0123456789abcdef", 512);
            while ($n > 0) { $take = min($n, 8192); echo substr($chunk, 0, $take); $n -= $take; }
            """);
        File.WriteAllText(Path.Combine(root, "hello.php"), "<?php echo \"Hello, PHP!\\n\";\n");
    }

    /// <summary>A WSGI app that echoes its environ (sorted, strings only) and its body's size and md5.</summary>
    public const string EchoWsgi = """
        import hashlib

        def application(environ, start_response):
            path = environ.get('PATH_INFO', '')
            body = environ['wsgi.input'].read()
            if path.startswith('/status/'):
                code = path.split('/')[2]
                start_response(code + ' Whatever', [('Content-Type', 'text/plain'), ('X-Code', code),
                                                    ('Set-Cookie', 'first=1'), ('Set-Cookie', 'second=2')])
                return [('status ' + code + '\n').encode()]
            if path == '/redirect':
                start_response('302 Found', [('Location', '/elsewhere?x=1'), ('Content-Type', 'text/plain')])
                return [b'']
            if '/big/' in path:
                n = int(path.rsplit('/', 1)[1])
                start_response('200 OK', [('Content-Type', 'application/octet-stream')])
                chunk = b'0123456789abcdef' * 512
                def gen(n=n):
                    while n > 0:
                        take = min(n, len(chunk))
                        yield chunk[:take]
                        n -= take
                return gen()
            lines = []
            for k in sorted(environ):
                v = environ[k]
                if isinstance(v, str) and not k.startswith('uwsgi.'):
                    lines.append(k + '=' + v)
            lines.append('BODY_LENGTH=%d' % len(body))
            lines.append('BODY_MD5=' + hashlib.md5(body).hexdigest())
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return [('\n'.join(lines) + '\n').encode('latin-1')]
        """;
}
