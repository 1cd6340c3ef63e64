using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;
using static NginxLite.Interop.Tests.Support.ProcFs;

namespace NginxLite.Interop.Tests.Cgi;

/// <summary>
/// <c>cgi_preload python</c> against a fresh python3 per request: the same Python scripts under /cgi-bin/ (spawned),
/// /pre/cgi-bin/ (forked from the fork server) of one nginxlite, and nginx + fcgiwrap (as the same user) for the
/// scripts whose output does not depend on the gateway's own meta-variables. Same status, same body, same uid/gid,
/// argv, __name__, sys.path[0]; exit before headers is a 502 with the log line; stderr reaches the error log; a hang is
/// killed at cgi_timeout and a client that goes away takes its script with it (checked in /proc).
/// </summary>
public sealed class CgiPreloadDifferentialTests : IDisposable
{
    private static readonly (string Name, string Text)[] Scripts =
    [
        ("ids.py", "#!/usr/bin/python3\nimport os, sys\nprint('Content-Type: text/plain')\nprint()\nprint(os.getuid(), os.getgid(), os.getgroups(), os.path.basename(sys.argv[0]), len(sys.argv), __name__, sys.path[0] == os.path.dirname(os.path.realpath(__file__)), os.getcwd() == sys.path[0])"),
        ("sid.py", "#!/usr/bin/python3\nimport os\nprint('Content-Type: text/plain')\nprint()\nprint(os.getsid(0) == os.getpid(), os.getpgid(0) == os.getpid())"),
        ("env.py", "import os\nprint('Content-Type: text/plain')\nprint()\nfor k in sorted(set(os.environ) - {'REMOTE_PORT'}):\n    print(k, '=', os.environ[k].replace('/pre/', '/').replace('/sb/', '/'))"),
        ("echo.py", "#!/usr/bin/python3\nimport sys\nbody = sys.stdin.buffer.read()\nsys.stdout.write('Content-Type: application/octet-stream\\r\\n\\r\\n')\nsys.stdout.flush()\nsys.stdout.buffer.write(body[::-1])"),
        ("exit3.py", "#!/usr/bin/python3\nimport sys\nsys.exit(3)"),
        ("stderr.py", "#!/usr/bin/python3\nimport sys\nsys.stderr.write('preload-stderr-marker\\n')\nsys.stderr.flush()\nprint('Content-Type: text/plain\\n\\nok')"),
        ("raise.py", "#!/usr/bin/python3\nraise ValueError('preload-traceback-marker')"),
        ("parent.py", "#!/usr/bin/python3\nimport os\nprint('Content-Type: text/plain')\nprint()\nprint(os.getppid())"),
        ("hang.py", "#!/usr/bin/python3\nimport os, sys, time\nopen(os.environ['QUERY_STRING'], 'w').write(str(os.getpid()))\ntime.sleep(300)"),
    ];

    private readonly TempDir _dir = new();
    private BackendProcess? _fcgiwrap;

    [Fact]
    public void Preload_SameScripts_SameAnswersAsFreshPython3AndFcgiwrap()
    {
        var (lite, nginx, html) = Start();
        using var _ = lite;
        using var __ = nginx;
        var requests = new[]
        {
            ("GET /cgi-bin/ids.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true),
            // fcgiwrap does not setsid its scripts; nginxlite does (its timeout kills the group): not compared there.
            ("GET /cgi-bin/sid.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
            ("GET /cgi-bin/env.py/extra?a=1&b=%20x HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\nProxy: http://evil:3128\r\nConnection: close\r\n\r\n", false),
            ("POST /cgi-bin/echo.py HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world", true),
            ("POST /cgi-bin/echo.py HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", true),
            ("GET /cgi-bin/exit3.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
            ("GET /cgi-bin/stderr.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true),
            ("GET /cgi-bin/raise.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
        };

        var differences = new List<string>();
        foreach (var (request, withFcgiwrap) in requests)
        {
            // Twice each: the first preloaded request starts the fork server, the second reuses it.
            for (var round = 0; round < 2; round++)
            {
                var plain = Send(lite.Port, request);
                var pre = Send(lite.Port, request.Replace(" /cgi-bin/", " /pre/cgi-bin/", StringComparison.Ordinal));
                if (plain != pre)
                {
                    differences.Add($"{request.Split("\r\n")[0]}\n  spawned: {plain}\n  preload: {pre}");
                }

                // Preloaded by its #! line alone (no cgi_interpreter there): env.py has none, so it is not a script there.
                if (!request.Contains("env.py", StringComparison.Ordinal)
                    && Send(lite.Port, request.Replace(" /cgi-bin/", " /sb/cgi-bin/", StringComparison.Ordinal)) is var shebang && shebang != plain)
                {
                    differences.Add($"{request.Split("\r\n")[0]}\n  spawned: {plain}\n  by #!:    {shebang}");
                }

                if (withFcgiwrap && Send(nginx.Port, request) is var wrapped && wrapped != plain)
                {
                    differences.Add($"{request.Split("\r\n")[0]}\n  nginx+fcgiwrap: {wrapped}\n  nginxlite:      {plain}");
                }
            }
        }

        var log = File.ReadAllText(lite.ErrorLog);
        Assert.True(differences.Count == 0, string.Join("\n", differences) + "\n--- nginxlite error log:\n" + log);
        var ids = Send(lite.Port, "GET /pre/cgi-bin/ids.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.StartsWith($"200 {TestUsers.Uid(TestUsers.Cgi)} {TestUsers.Run("id", "-g", TestUsers.Cgi).Trim()} ", ids);
        Assert.EndsWith(" ids.py 1 __main__ True True\n", ids);
        Assert.Equal("200 True True\n", Send(lite.Port, "GET /pre/cgi-bin/sid.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        Assert.StartsWith("502 ", Send(lite.Port, "GET /pre/cgi-bin/exit3.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        log = File.ReadAllText(lite.ErrorLog);
        Assert.Contains($"CGI script \"{html}/cgi-bin/exit3.py\" wrote no output, exit status 3", log);
        Assert.Contains($"CGI script \"{html}/pre/cgi-bin/exit3.py\" wrote no output, exit status 3", log);
        Assert.Contains($"CGI script \"{html}/pre/cgi-bin/stderr.py\" sent in stderr: \"preload-stderr-marker\"", log);
        Assert.Contains("ValueError: preload-traceback-marker", log);
        Assert.DoesNotContain("python fork server", log);
    }

    [Fact]
    public void Preload_HangPastCgiTimeout_504AndChildGone()
    {
        var (lite, nginx, html) = Start();
        using var _ = lite;
        using var __ = nginx;
        var pidFile = Path.Combine(_dir.Dir("pids"), "hang.pid");
        var response = Send(lite.Port, $"GET /pre/cgi-bin/hang.py?{pidFile} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("504 ", response);
        var pid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        AssertGone(pid);
        Assert.Contains($"CGI script \"{html}/pre/cgi-bin/hang.py\" (pid {pid}) killed", File.ReadAllText(lite.ErrorLog));
    }

    [Fact]
    public void Preload_ClientDisconnects_ScriptKilled()
    {
        var (lite, nginx, _) = Start();
        using var _l = lite;
        using var _n = nginx;
        var pidFile = Path.Combine(_dir.Dir("pids"), "gone.pid");
        using (var client = new TcpClient("127.0.0.1", lite.Port))
        {
            client.GetStream().Write(Encoding.ASCII.GetBytes($"GET /sb/cgi-bin/hang.py?{pidFile} HTTP/1.1\r\nHost: x\r\n\r\n"));
            var clock = Stopwatch.StartNew();
            while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Length == 0)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the script never started");
                Thread.Sleep(20);
            }

            // Forked, not spawned: its parent is the fork server (python3), not nginxlite.
            var running = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
            var ppid = File.ReadAllLines($"/proc/{running}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim();
            Assert.Equal("python3", File.ReadAllText($"/proc/{ppid}/comm").Trim());
        }

        var pid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        AssertGone(pid);
        Assert.DoesNotContain("python fork server", File.ReadAllText(lite.ErrorLog));
    }

    [Fact]
    public void Preload_ForkServerDies_NextRequestStartsAnother()
    {
        var (lite, nginx, _) = Start();
        using var _l = lite;
        using var _n = nginx;
        const string request = "GET /pre/cgi-bin/parent.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        var first = Send(lite.Port, request);
        Assert.StartsWith("200 ", first);
        var forkServer = int.Parse(first[4..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // The fork server is nginxlite's own child (started by the server this test started), running python3.
        Assert.Equal("python3", File.ReadAllText($"/proc/{forkServer}/comm").Trim());
        Assert.Equal(lite.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            File.ReadAllLines($"/proc/{forkServer}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim());

        Process.GetProcessById(forkServer).Kill();
        AssertGone(forkServer);
        var second = Send(lite.Port, request);

        Assert.StartsWith("200 ", second);
        var next = int.Parse(second[4..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(forkServer, next);
        Assert.Equal("python3", File.ReadAllText($"/proc/{next}/comm").Trim());
    }

    private (ServerProcess Lite, ServerProcess Nginx, string Html) Start()
    {
        TestUsers.Ensure();
        var html = _dir.Dir("html");
        _dir.Dir("html/cgi-bin");
        _dir.Dir("html/pre/cgi-bin");
        _dir.Dir("html/sb/cgi-bin");
        var pids = _dir.Dir("pids");
        File.SetUnixFileMode(pids, (UnixFileMode)0b111_111_111);
        foreach (var (name, text) in Scripts)
        {
            foreach (var dir in new[] { "html/cgi-bin/", "html/pre/cgi-bin/", "html/sb/cgi-bin/" })
            {
                var path = _dir.File(dir + name, text);
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }
        }

        _fcgiwrap = Backends.StartFcgiWrapAs(_dir.Dir("fcgiwrap"), TestUsers.Cgi);
        var socket = _fcgiwrap.Socket;
        var nginx = ServerProcess.Start(ServerFlavor.Nginx, _dir.Dir("nginx"), port => $$"""
            events {}
            http {
                access_log off;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{html}};
                    location /cgi-bin/ {
                        include /etc/nginx/fastcgi_params;
                        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
                        fastcgi_param HTTP_PROXY "";
                        fastcgi_pass unix:{{socket}};
                    }
                }
            }
            """);
        var lite = ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), port => $$"""
            events {}
            http {
                access_log off;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{html}};
                    cgi_user {{TestUsers.Cgi}};
                    cgi_timeout 3s;
                    cgi_interpreter .py /usr/bin/python3;
                    location /cgi-bin/ { cgi on; }
                    location /pre/cgi-bin/ { cgi on; cgi_preload python; }
                    location /sb/cgi-bin/ { cgi on; cgi_preload python; cgi_interpreter .pl /usr/bin/perl; }
                }
            }
            """);
        return (lite, nginx, html);
    }

    /// <summary>Waits (bounded, not timed) for the pid to leave /proc.</summary>
    private static void AssertGone(int pid)
    {
        Assert.True(WaitGone(pid, TimeSpan.FromSeconds(30)), $"pid {pid} still runs");
    }

    private static string Send(int port, string request)
    {
        var r = RawHttpClient.Send(port, Encoding.ASCII.GetBytes(request), false, TimeSpan.FromSeconds(20));
        return r.Status + " " + Regex().Replace(Encoding.UTF8.GetString(r.Body), "<center>SERVER</center>");
    }

    private static System.Text.RegularExpressions.Regex Regex() => new(@"<center>nginx(lite)?(/[0-9.]+)?</center>");

    public void Dispose()
    {
        _fcgiwrap?.Dispose(); // by the PID it started
        _dir.Dispose();
    }
}
