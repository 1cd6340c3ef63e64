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

    public AppFaultInteropTests() =>
        _dir.File("app/pid_app.py", """
            import os, time

            def application(environ, start_response):
                time.sleep(30 if environ["PATH_INFO"] == "/hang" else 0.005)
                body = str(os.getpid()).encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            """);

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private string App(int processes) => $"app a {{ module pid_app; chdir {_dir.Path}/app; processes {processes}; }}";

    /// <summary>Request loops until <paramref name="stop"/>; each answer's pid (or "failed: …").</summary>
    private async Task<ConcurrentQueue<string>> LoadAsync(int port, CancellationToken stop)
    {
        var answers = new ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, Loops).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var r = await _http.GetAsync($"http://127.0.0.1:{port}/");
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
