using System.Diagnostics;
using System.Globalization;
using System.Net;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// A real nginx <c>uwsgi_pass</c> to an app's public <c>socket</c> (AppSocketRelay), a worker with two threads that
/// closes one request's connection and is killed with SIGKILL while requests run on it and more wait in the master: at
/// most the requests in flight on that worker fail (issue 6's fault goal, docs/apps.md "Kept connections"); the
/// waiting ones are served by the other worker or the respawned one.
/// </summary>
public sealed class PublicSocketFaultInteropTests : IDisposable
{
    private const int Processes = 2;
    private const int Threads = 2;
    private const int Queued = 3; // beyond the processes × threads that run

    private readonly TempDir _dir = new("nginxlite-apps-relay-faults-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public PublicSocketFaultInteropTests()
    {
        // /slow and /die note their start (a file named by the pid); /slow waits for go.flag (bounded). /die waits for
        // die.flag, closes its connection without a response, lingers 200 ms (its socket still listening, its other
        // thread still serving: the pool has seen nothing die yet) and SIGKILLs its worker. Every answer is the pid.
        _dir.File("app/gate_app.py", """
            import os, socket, time, uuid

            HERE = os.path.dirname(os.path.abspath(__file__))

            def _wait(name):
                deadline = time.monotonic() + 30
                while not os.path.exists(os.path.join(HERE, name)) and time.monotonic() < deadline:
                    time.sleep(0.01)

            def application(environ, start_response):
                path = environ["PATH_INFO"]
                if path in ("/slow", "/die"):
                    open(os.path.join(HERE, "started", "%d-%s" % (os.getpid(), uuid.uuid4().hex)), "w").close()
                if path == "/die":
                    _wait("die.flag")
                    environ["wsgi.input"]._sock.shutdown(socket.SHUT_RDWR)
                    time.sleep(0.2)
                    os.kill(os.getpid(), 9)
                if path == "/slow":
                    _wait("go.flag")
                body = str(os.getpid()).encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            """);
        // Run as root, the server starts its workers as nobody: they must be able to write there.
        File.SetUnixFileMode(_dir.Dir("app/started"), (UnixFileMode)Convert.ToInt32("777", 8));
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task PublicSocket_ThreadedWorkerClosesAndIsKilledWithRequestsQueued_OnlyItsInFlightFail()
    {
        var socket = Path.Combine(_dir.Path, "app.sock");
        using var lite = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port,
                $"app a {{ module gate_app; chdir {_dir.Path}/app; processes {Processes}; threads {Threads}; socket {socket}; }}")));
        await WaitForAsync(() => File.Exists(socket));
        Assert.True(File.Exists(socket), lite.Describe());
        using var nginx = new NginxUwsgiFront(_dir, socket);
        var url = $"http://127.0.0.1:{nginx.Port}/";

        var started = Path.Combine(_dir.Path, "app", "started");
        var dying = GetAsync(url + "die");
        await WaitForAsync(() => Directory.GetFiles(started).Length == 1);
        var victim = Path.GetFileName(Directory.GetFiles(started).Single()).Split('-')[0];
        var running = Enumerable.Range(0, Processes * Threads - 1).Select(_ => GetAsync(url + "slow")).ToList();
        await WaitForAsync(() => Directory.GetFiles(started).Length >= Processes * Threads);
        var onVictim = Directory.GetFiles(started).Count(f => Path.GetFileName(f).StartsWith(victim + "-", StringComparison.Ordinal));
        Assert.Equal(Threads, onVictim); // least busy: every thread of both workers runs one
        var queued = Enumerable.Range(0, Queued).Select(_ => GetAsync(url + "slow")).ToList();
        await Task.Delay(1000); // lets them reach the master's queue (no assertion depends on it: later ones are held too)

        _dir.File("app/die.flag", "");
        await WaitForAsync(() => File.ReadAllText(lite.ErrorLog).Contains($"(pid: {victim}) died", StringComparison.Ordinal));
        _dir.File("app/go.flag", "");
        var answers = await Task.WhenAll([dying, .. running, .. queued]);

        var failed = answers.Count(a => a.Status != HttpStatusCode.OK);
        var detail = string.Join("; ", answers.Select(a => $"{(int)a.Status} {a.Body}"));
        // Before the relay held a failed lease and the worker as a whole, a queued request was handed the dying worker's
        // slot, landed in its accept queue and was reset by the SIGKILL: a third 502.
        Assert.True(failed <= onVictim, $"{failed} failed, {onVictim} were in flight on {victim}: {detail}");
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.OK), a => Assert.NotEqual(victim, a.Body));
        Assert.Equal(HttpStatusCode.BadGateway, answers[0].Status); // /die: the worker closed without a response
        Assert.Contains("DAMN ! worker", File.ReadAllText(lite.ErrorLog));
        Console.WriteLine($"public socket kill -9: {answers.Length} requests, {failed} failed, {onVictim} in flight on the victim");
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
    }
}
