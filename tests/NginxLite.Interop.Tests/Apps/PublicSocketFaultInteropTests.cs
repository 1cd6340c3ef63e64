using System.Diagnostics;
using System.Globalization;
using System.Net;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// A real nginx <c>uwsgi_pass</c> to an app's public <c>socket</c> (AppSocketRelay), a worker killed with SIGKILL while
/// requests run on it and more wait in the master: at most the requests in flight on that worker fail (issue 6's fault
/// goal, docs/apps.md "Kept connections"); the waiting ones are served by the other worker or the respawned one.
/// </summary>
public sealed class PublicSocketFaultInteropTests : IDisposable
{
    private const int Processes = 2;
    private const int Threads = 2;
    private const int Requests = 7; // 4 run (processes × threads), 3 wait in the master's queue

    private readonly TempDir _dir = new("nginxlite-apps-relay-faults-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public PublicSocketFaultInteropTests()
    {
        // /slow notes its start (a file named by its pid) and waits for go.flag (bounded); every answer is the pid.
        _dir.File("app/gate_app.py", """
            import os, time, uuid

            HERE = os.path.dirname(os.path.abspath(__file__))

            def application(environ, start_response):
                if environ["PATH_INFO"] == "/slow":
                    open(os.path.join(HERE, "started", "%d-%s" % (os.getpid(), uuid.uuid4().hex)), "w").close()
                    deadline = time.monotonic() + 30
                    while not os.path.exists(os.path.join(HERE, "go.flag")) and time.monotonic() < deadline:
                        time.sleep(0.01)
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
    public async Task PublicSocket_ThreadedWorkerKilledWithRequestsInFlight_OnlyThoseFail()
    {
        var socket = Path.Combine(_dir.Path, "app.sock");
        using var lite = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port,
                $"app a {{ module gate_app; chdir {_dir.Path}/app; processes {Processes}; threads {Threads}; socket {socket}; }}")));
        await WaitForAsync(() => File.Exists(socket));
        Assert.True(File.Exists(socket), lite.Describe());
        using var nginx = new NginxUwsgiFront(_dir, socket);
        var url = $"http://127.0.0.1:{nginx.Port}/slow";

        var requests = Enumerable.Range(0, Requests).Select(_ => GetAsync(url)).ToList();
        var started = Path.Combine(_dir.Path, "app", "started");
        await WaitForAsync(() => Directory.GetFiles(started).Length >= Processes * Threads);
        var running = Directory.GetFiles(started).Select(f => Path.GetFileName(f).Split('-')[0]).ToList();
        // Every thread busy, the rest queued in the master.
        Assert.True(running.Count == Processes * Threads, $"{running.Count} running; {lite.Describe()}\n{File.ReadAllText(nginx.Nginx.ErrorLog)}");
        var victim = running[0];
        var inFlightOnVictim = running.Count(p => p == victim);

        Process.GetProcessById(int.Parse(victim, CultureInfo.InvariantCulture)).Kill();
        await WaitForAsync(() => File.ReadAllText(lite.ErrorLog).Contains($"(pid: {victim}) died", StringComparison.Ordinal));
        _dir.File("app/go.flag", "");
        var answers = await Task.WhenAll(requests);

        var failed = answers.Count(a => a.Status != HttpStatusCode.OK);
        var detail = string.Join("; ", answers.Select(a => $"{(int)a.Status} {a.Body}"));
        Assert.True(failed <= inFlightOnVictim, $"{failed} failed, {inFlightOnVictim} were in flight on {victim}: {detail}");
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.OK), a => Assert.NotEqual(victim, a.Body));
        Assert.Equal(Requests - failed, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Contains("DAMN ! worker", File.ReadAllText(lite.ErrorLog));
        Console.WriteLine($"public socket kill -9: {Requests} requests, {failed} failed, {inFlightOnVictim} in flight on the victim");
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
