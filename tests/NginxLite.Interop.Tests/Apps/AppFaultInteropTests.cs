using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// Faults under a bounded load from the test (a few concurrent request loops, no wrk): kill -9 of a worker (at most
/// the requests in flight on it fail, a new worker answers) and a SIGHUP reload that changes <c>processes</c> (no
/// request fails).
/// </summary>
public sealed class AppFaultInteropTests : IDisposable
{
    private const int Loops = 4;
    private readonly TempDir _dir = new("nginxlite-apps-faults-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public AppFaultInteropTests()
    {
        _dir.File("app/pid_app.py", """
            import os, time

            VERSION = open(os.path.join(os.path.dirname(__file__), "version.txt")).read().strip()

            def application(environ, start_response):
                path = environ["PATH_INFO"]
                time.sleep(30 if path == "/hang" else 2 if path == "/slow" else 0.005)
                body = (VERSION + " " if path == "/version" else "").encode() + str(os.getpid()).encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            """);
        _dir.File("app/version.txt", "v1");
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private string App(int processes) => $"app a {{ module pid_app; chdir {_dir.Path}/app; processes {processes}; }}";

    /// <summary>Request loops until <paramref name="stop"/>; each answer's pid (or "failed: …").</summary>
    private async Task<ConcurrentQueue<string>> LoadAsync(int port, CancellationToken stop, string path = "/")
    {
        var answers = new ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, Loops).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var r = await _http.GetAsync($"http://127.0.0.1:{port}{path}");
                    var body = await r.Content.ReadAsStringAsync();
                    answers.Enqueue(r.StatusCode == HttpStatusCode.OK ? body : $"failed: {(int)r.StatusCode}");
                }
                catch (HttpRequestException e)
                {
                    answers.Enqueue("failed: " + e.Message);
                }
            }
        }));
        return answers;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Worker_KilledUnderLoad_AtMostInFlightFail_NewWorkerAnswers()
    {
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), port => AppPassInteropTests.Config(port, App(2))));
        using var stop = new CancellationTokenSource();
        var load = LoadAsync(server.Port, stop.Token);
        string? victim = null;
        var started = File.ReadAllText(server.ErrorLog);
        victim = started[(started.IndexOf("(pids: ", StringComparison.Ordinal) + 7)..].Split(',')[0];
        await Task.Delay(300);

        var killedAt = Stopwatch.StartNew();
        Process.GetProcessById(int.Parse(victim)).Kill();
        await WaitForAsync(() => File.ReadAllText(server.ErrorLog).Contains("respawned worker 1", StringComparison.Ordinal));
        var respawnMs = killedAt.ElapsedMilliseconds;
        await Task.Delay(500);
        stop.Cancel();
        var answers = (await load).ToList();

        var log = File.ReadAllText(server.ErrorLog);
        Assert.Contains($"DAMN ! worker 1 (pid: {victim}) died (killed by signal 9), respawning", log);
        var newPid = log[(log.IndexOf("respawned worker 1 (new pid: ", StringComparison.Ordinal) + 29)..].Split(')')[0];
        Assert.Contains(newPid, answers); // the new worker served requests
        var failed = answers.Count(a => a.StartsWith("failed", StringComparison.Ordinal));
        Assert.True(failed <= Loops, $"{failed} of {answers.Count} failed: {string.Join("; ", answers.Where(a => a.StartsWith("failed", StringComparison.Ordinal)).Distinct())}");
        Console.WriteLine($"kill -9: {answers.Count} requests, {failed} failed, worker back after {respawnMs} ms");
    }

    [Fact]
    public async Task Reload_ProcessesChangedUnderLoad_NoRequestFails()
    {
        var prefix = _dir.Dir("lite");
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, prefix, port => AppPassInteropTests.Config(port, App(2))));
        using var stop = new CancellationTokenSource();
        var load = LoadAsync(server.Port, stop.Token);
        await Task.Delay(500);

        var config = Path.Combine(prefix, "conf", "server.conf");
        File.WriteAllText(config, File.ReadAllText(config).Replace("processes 2;", "processes 3;", StringComparison.Ordinal));
        PosixSignal.Send(server.Pid, PosixSignal.Hup);
        await WaitForAsync(() => File.ReadAllText(server.ErrorLog).Contains("draining the old workers", StringComparison.Ordinal));
        await Task.Delay(1000);
        stop.Cancel();
        var answers = (await load).ToList();

        var log = File.ReadAllText(server.ErrorLog);
        Assert.Contains("app \"a\" started 3 worker(s)", log);
        Assert.Contains("app \"a\": draining the old workers", log);
        Assert.DoesNotContain(answers, a => a.StartsWith("failed", StringComparison.Ordinal));
        var pids = answers.Distinct().Count();
        Assert.True(pids >= 4, $"{pids} pids answered"); // old 2 and new 3 workers
        Console.WriteLine($"reload: {answers.Count} requests, 0 failed, {pids} pids");
    }

    [Fact]
    public async Task Reload_SameConfigNewCodeUnderLoad_WorkersReplacedOneByOne_NoRequestFails()
    {
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), port => AppPassInteropTests.Config(port, App(2))));
        using var stop = new CancellationTokenSource();
        var load = LoadAsync(server.Port, stop.Token, "/version");
        await Task.Delay(500);

        // New code, same config: uWSGI re-imports the app on SIGHUP; so must a reload here.
        File.WriteAllText(Path.Combine(_dir.Path, "app", "version.txt"), "v2");
        PosixSignal.Send(server.Pid, PosixSignal.Hup);
        await WaitForAsync(() => File.ReadAllText(server.ErrorLog).Contains("app \"a\": reloaded 2 worker(s)", StringComparison.Ordinal));
        await Task.Delay(500);
        stop.Cancel();
        var answers = (await load).ToList();
        using var after = await _http.GetAsync($"http://127.0.0.1:{server.Port}/version");
        var last = await after.Content.ReadAsStringAsync();

        var log = File.ReadAllText(server.ErrorLog);
        Assert.Contains("app \"a\": reloading 2 worker(s) one by one", log);
        Assert.Contains("app \"a\": reloaded 2 worker(s)", log);
        Assert.DoesNotContain("draining the old workers", log); // not a pool swap: the pool stayed, its workers changed
        Assert.DoesNotContain(answers, a => a.StartsWith("failed", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.StartsWith("v1 ", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.StartsWith("v2 ", StringComparison.Ordinal));
        Assert.StartsWith("v2 ", last);
        var oldPids = answers.Where(a => a.StartsWith("v1 ", StringComparison.Ordinal)).Select(a => a[3..]).ToHashSet();
        Assert.DoesNotContain(last[3..], oldPids);
        Console.WriteLine($"chain reload: {answers.Count} requests, 0 failed, {answers.Distinct().Count()} pid/version pairs");
    }

    [Fact]
    public async Task Harakiri_LongerThanUwsgiReadTimeout_RequestWithinHarakiriAnswers()
    {
        // uwsgi_read_timeout 1s would answer 504 at 1 s in nginx → uWSGI; app_pass waits for the pool's harakiri (3 s).
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port, $"app a {{ module pid_app; chdir {_dir.Path}/app; harakiri 3s; }}", "app_pass a; uwsgi_read_timeout 1s;")));

        using var slow = await _http.GetAsync($"http://127.0.0.1:{server.Port}/slow");

        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.DoesNotContain("timed out", File.ReadAllText(server.ErrorLog));
    }

    [Fact]
    public async Task QueuedRequest_EveryWorkerDiesAndRespawnFails_502WithNginxsErrorLine()
    {
        // Imports until broken.flag exists, then exits at import: the respawn after a kill -9 keeps failing.
        _dir.File("app/dying_app.py", "import os, sys\nif os.path.exists(os.path.join(os.path.dirname(__file__), 'broken.flag')):\n    sys.exit(3)\nfrom pid_app import application\n");
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port, $"app a {{ module dying_app; chdir {_dir.Path}/app; processes 1; }}", "app_pass a; uwsgi_connect_timeout 2s;")));
        var started = File.ReadAllText(server.ErrorLog);
        var pid = int.Parse(started[(started.IndexOf("(pids: ", StringComparison.Ordinal) + 7)..].Split(')')[0], System.Globalization.CultureInfo.InvariantCulture);

        var hung = _http.GetAsync($"http://127.0.0.1:{server.Port}/hang"); // the one worker thread is busy
        await Task.Delay(500);
        var queued = _http.GetAsync($"http://127.0.0.1:{server.Port}/"); // waits in the master for a free connection
        await Task.Delay(500);
        _dir.File("app/broken.flag", "");
        Process.GetProcessById(pid).Kill();

        // HttpClient's 30 s timeout catches a wait with no bound (the bug); the bound is uwsgi_connect_timeout 2s.
        using var answer = await queued;
        using var first = await hung;

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode); // the request in flight on the killed worker
        await WaitForAsync(() => File.ReadAllText(server.ErrorLog).Contains("failed to start", StringComparison.Ordinal));
        var log = File.ReadAllText(server.ErrorLog);
        Assert.True(log.Contains("app \"a\": worker 1 failed to start", StringComparison.Ordinal), log);
        // The queued request's 502 has nginx's line for it: it waited out the bound. The slot of the request killed
        // with the worker is held until the pool sees the death (AppPool.HoldBack), so the queued request is never
        // handed the dying worker's socket (before, CI saw it reset twice: "recv() failed (104: Connection reset by
        // peer) while reading response header").
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(log,
            @"\[error\] .*no live upstreams while connecting to upstream.*request: ""GET / HTTP/1.1"""), log);
        Assert.DoesNotMatch(@"Connection reset by peer.*request: ""GET / HTTP/1.1""", log); // (the killed /hang may have it)
    }

    [Fact]
    public async Task Worker_CutsItsResponseAndDies_QueuedRequestServedByTheRespawn()
    {
        // /cut sends the head and a first piece, waits for cut.flag, closes its connection to the master, lingers 200 ms
        // (its socket still listening) and SIGKILLs itself: the response in flight is cut (nginx's "upstream prematurely
        // closed connection while reading upstream"), and the request queued behind it must not be handed the dying
        // worker's socket (the slot of a request that failed mid-response is held too, docs/apps.md).
        _dir.File("app/cut_app.py", """
            import os, socket, time

            HERE = os.path.dirname(os.path.abspath(__file__))

            def application(environ, start_response):
                if environ["PATH_INFO"] == "/cut":
                    start_response("200 OK", [("Content-Type", "text/plain")])
                    yield b"partial "
                    deadline = time.monotonic() + 30
                    while not os.path.exists(os.path.join(HERE, "cut.flag")) and time.monotonic() < deadline:
                        time.sleep(0.01)
                    environ["wsgi.input"]._sock.shutdown(socket.SHUT_RDWR)
                    time.sleep(0.2)
                    os.kill(os.getpid(), 9)
                body = str(os.getpid()).encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                yield body
            """);
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port, $"app a {{ module cut_app; chdir {_dir.Path}/app; processes 1; }}")));
        var started = File.ReadAllText(server.ErrorLog);
        var pid = started[(started.IndexOf("(pids: ", StringComparison.Ordinal) + 7)..].Split(')')[0];
        var url = $"http://127.0.0.1:{server.Port}/";

        using var cut = await _http.GetAsync(url + "cut", HttpCompletionOption.ResponseHeadersRead); // its response began
        var queued = _http.GetAsync(url); // waits in the master for the one worker connection
        await Task.Delay(1000); // lets it reach the queue (no assertion depends on it: a later arrival is served too)
        _dir.File("app/cut.flag", "");
        var cutBody = "";
        try
        {
            cutBody = await cut.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException)
        {
            // nginx closes a response it cannot finish: the client sees the connection end early.
        }

        using var answer = await queued;
        var body = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        Assert.True(cutBody is "" or "partial ", cutBody); // at most the first piece, never a whole response
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.NotEqual(pid, body); // the respawned worker
        var log = File.ReadAllText(server.ErrorLog);
        Assert.Matches(@"\[error\] .*upstream prematurely closed connection while reading upstream.*request: ""GET /cut HTTP/1.1""", log);
        Assert.DoesNotMatch(@"request: ""GET / HTTP/1.1""", log); // no error line for the queued request
    }

    [Fact]
    public async Task AppPass_VarsBlockOverBufferSize_502FromTheMasterAndTheWorkerKeepsItsConnection()
    {
        // Each answer says the worker's pid and how many requests its connection from the master has carried.
        _dir.File("app/conn_app.py", """
            import os, weakref

            _served = weakref.WeakKeyDictionary()

            def application(environ, start_response):
                sock = environ["wsgi.input"]._sock
                _served[sock] = _served.get(sock, 0) + 1
                body = ("%d %d" % (os.getpid(), _served[sock])).encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            """);
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port, $"app a {{ module conn_app; chdir {_dir.Path}/app; processes 1; buffer_size 4k; }}")));
        var url = $"http://127.0.0.1:{server.Port}/";

        var first = await _http.GetStringAsync(url);
        using var big = new HttpRequestMessage(HttpMethod.Get, url);
        big.Headers.Add("X-Big", new string('x', 5000)); // HTTP_X_BIG alone is over the pool's 4k buffer_size
        using var refused = await _http.SendAsync(big);
        var next = await _http.GetStringAsync(url);

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        var pid = first.Split(' ')[0];
        Assert.Equal($"{pid} 1", first);
        // The same single worker, on the same connection: the refused request never reached it, so it did not close
        // the connection and its slot was not held back as a failed one's is.
        Assert.Equal($"{pid} 2", next);
        var log = File.ReadAllText(server.ErrorLog);
        // What nginx in front of uWSGI logs when uWSGI closes on "invalid request block size".
        Assert.Matches(@"\[error\] .*upstream prematurely closed connection while reading response header from upstream.*request: ""GET / HTTP/1.1"", upstream: ""uwsgi://unix:", log);
        Assert.DoesNotContain("larger than buffer-size", log); // the shim's refusal: it never saw the request
    }

    [Fact]
    public async Task AppPass_RackVarsBlockOverBufferSize_502FromTheMasterAndTheSameWorkerServesTheNext()
    {
        // A Rack pool keeps no connection (close-delimited responses): the one app_pass made for the refused request is
        // closed unused, and the worker's slot comes back at once.
        _dir.File("rack/config.ru", "run lambda { |env| [200, { 'content-type' => 'text/plain' }, [Process.pid.to_s]] }\n");
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port, $"app a {{ rack config.ru; chdir {_dir.Path}/rack; processes 1; buffer_size 4k; }}")));
        var url = $"http://127.0.0.1:{server.Port}/";

        var first = await _http.GetStringAsync(url);
        using var big = new HttpRequestMessage(HttpMethod.Get, url);
        big.Headers.Add("X-Big", new string('x', 5000));
        using var refused = await _http.SendAsync(big);
        var next = await _http.GetStringAsync(url);

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal(first, next); // the same single worker, still alive
        var log = File.ReadAllText(server.ErrorLog);
        Assert.Matches(@"\[error\] .*upstream prematurely closed connection while reading response header from upstream.*request: ""GET / HTTP/1.1""", log);
        Assert.DoesNotContain("larger than buffer-size", log);
        Assert.DoesNotContain("DAMN", log);
    }

    [Fact]
    public async Task Harakiri_RequestHangs_504_WorkerKilledAndRespawned()
    {
        using var server = AppPassInteropTests.WaitStarted(ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"),
            port => AppPassInteropTests.Config(port, $"app a {{ module pid_app; chdir {_dir.Path}/app; harakiri 1s; }}")));

        using var hung = await _http.GetAsync($"http://127.0.0.1:{server.Port}/hang");
        using var next = await _http.GetAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, hung.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var log = File.ReadAllText(server.ErrorLog);
        Assert.Matches(@"\[error\] .*app ""a"": \*\*\* HARAKIRI ON WORKER 1 \(pid: \d+, try: 1\) \*\*\*", log);
        Assert.Contains("DAMN ! worker 1", log);
    }
}
