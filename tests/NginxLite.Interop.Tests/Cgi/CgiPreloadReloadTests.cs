using System.Diagnostics;
using System.Globalization;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;
using static NginxLite.Interop.Tests.Support.ProcFs;

namespace NginxLite.Interop.Tests.Cgi;

/// <summary>
/// A reload retires the <c>cgi_preload python</c> fork servers (docs/cgi.md, "Python preload fork server"), on a real
/// nginxlite: one whose <c>cgi_preload</c> the new configuration removed stops (its pid leaves /proc) and the script is
/// spawned again; one with a script still running lets it finish (200, its whole body) and stops after it.
/// </summary>
public sealed class CgiPreloadReloadTests : IDisposable
{
    private const string Request = "GET /pre/cgi-bin/parent.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reload_PreloadRemoved_ForkServerStopsAndScriptsSpawned()
    {
        using var lite = Start();
        var forkServer = ParentPid(Send(lite.Port, Request));
        Assert.Equal("python3", File.ReadAllText($"/proc/{forkServer}/comm").Trim());

        Reload(lite, "cgi_preload python;", "");

        AssertGone(forkServer);
        Assert.Equal(lite.Pid, ParentPid(Send(lite.Port, Request))); // spawned by nginxlite itself now
        Assert.Contains("cgi: retired 1 python fork server(s) after reload", File.ReadAllText(lite.ErrorLog));
    }

    [Fact]
    public async Task Reload_ScriptRunning_ScriptFinishesThenForkServerStops()
    {
        using var lite = Start();
        var go = Path.Combine(_dir.Dir("pids"), "go");
        var pending = Task.Run(() => Send(lite.Port, $"GET /pre/cgi-bin/wait.py?{go} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        var clock = Stopwatch.StartNew();
        while (!File.Exists(go + ".ppid") || File.ReadAllText(go + ".ppid").Length == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the script never started");
            Thread.Sleep(20);
        }

        var forkServer = int.Parse(File.ReadAllText(go + ".ppid"), CultureInfo.InvariantCulture);
        Reload(lite, "cgi_user " + TestUsers.Cgi + ";", "cgi_user " + TestUsers.Other + ";");
        Assert.True(Directory.Exists($"/proc/{forkServer}"), "the fork server stopped under a running script");

        File.WriteAllText(go, "");
        Assert.Equal("200 finished\n", await pending);
        AssertGone(forkServer);
    }

    private ServerProcess Start()
    {
        TestUsers.Ensure();
        var html = _dir.Dir("html");
        _dir.Dir("html/pre/cgi-bin");
        File.SetUnixFileMode(_dir.Dir("pids"), (UnixFileMode)0b111_111_111);
        foreach (var (name, text) in new[]
        {
            ("parent.py", "#!/usr/bin/python3\nimport os\nprint('Content-Type: text/plain')\nprint()\nprint(os.getppid())"),
            ("wait.py", "#!/usr/bin/python3\nimport os, time\nq = os.environ['QUERY_STRING']\nopen(q + '.ppid', 'w').write(str(os.getppid()))\nwhile not os.path.exists(q):\n    time.sleep(0.02)\nprint('Content-Type: text/plain\\n\\nfinished')"),
        })
        {
            File.SetUnixFileMode(_dir.File("html/pre/cgi-bin/" + name, text), (UnixFileMode)0b111_101_101);
        }

        return ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), port => $$"""
            error_log logs/error.log notice;
            events {}
            http {
                access_log off;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{html}};
                    cgi_user {{TestUsers.Cgi}};
                    cgi_timeout 30s;
                    location /pre/cgi-bin/ { cgi on; cgi_preload python; }
                }
            }
            """);
    }

    /// <summary>Edits the configuration, sends SIGHUP and waits (bounded) for the reload's retirement line.</summary>
    private static void Reload(ServerProcess lite, string from, string to)
    {
        var config = Path.Combine(lite.Prefix, "conf", "server.conf");
        var text = File.ReadAllText(config);
        Assert.Contains(from, text);
        File.WriteAllText(config, text.Replace(from, to, StringComparison.Ordinal));
        Assert.True(PosixSignal.Send(lite.Pid, PosixSignal.Hup));
        var clock = Stopwatch.StartNew();
        while (!File.ReadAllText(lite.ErrorLog).Contains("python fork server(s) after reload", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no reload line:\n" + File.ReadAllText(lite.ErrorLog));
            Thread.Sleep(20);
        }
    }

    private static int ParentPid(string response)
    {
        Assert.StartsWith("200 ", response);
        return int.Parse(response[4..].Trim(), CultureInfo.InvariantCulture);
    }

    private static void AssertGone(int pid)
    {
        Assert.True(WaitGone(pid, TimeSpan.FromSeconds(30)), $"pid {pid} still runs");
    }

    private static string Send(int port, string request)
    {
        var r = RawHttpClient.Send(port, Encoding.ASCII.GetBytes(request), false, TimeSpan.FromSeconds(30));
        return r.Status + " " + Encoding.UTF8.GetString(r.Body);
    }
}
