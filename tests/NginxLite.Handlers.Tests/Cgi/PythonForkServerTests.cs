using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NginxLite.Handlers.Cgi;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.TestSupport;

namespace NginxLite.Handlers.Tests.Cgi;

/// <summary>
/// <see cref="PythonForkServer"/> and <see cref="PythonPreload"/> with real processes (docs/cgi.md, "Python preload
/// fork server"): a fork server that never answers is killed at the request's timeout; a retired one stops once idle —
/// at once, or after its running script finished (not killed); a reload's retirement makes the next fork start a new
/// one; the <c>#!</c> line is read again when the script changes.
/// </summary>
public sealed class PythonForkServerTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly string[] Env = ["PATH=/usr/bin:/bin"];

    private readonly TempDir _dir = new("nginxlite-forkserver-");

    public void Dispose()
    {
        PythonPreload.RetireAll();
        _dir.Dispose();
    }

    [Fact]
    public async Task ForkAsync_ForkServerNeverAnswers_TimesOutAndKillsIt()
    {
        // A "fork server" that reads nothing: sleep, with the control socket as its fd 0 and 1.
        using var server = await PythonForkServer.StartAsync("/bin/sleep", Env,
            (_, _, env, fds) => Task.FromResult((SpawnedProcess.Spawn("/bin/sleep", ["sleep", "300"], env, "/", fds, newSession: true), (HelperChild?)null)));
        var pid = server.Pid;
        Assert.True(Directory.Exists($"/proc/{pid}"));

        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            SpawnedProcess.StartRemoteAsync(fds => server.ForkAsync("/nonexistent.py", "/", ["/nonexistent.py"], Env, fds, TimeSpan.FromMilliseconds(300))));

        Assert.Contains($"the python fork server (pid {pid}) did not answer within 0.3s, killed", e.Message, StringComparison.Ordinal);
        Assert.False(server.IsAlive);
        AssertGone(pid);
    }

    [Fact]
    public async Task Retire_Idle_ForkServerExits()
    {
        using var server = await StartPython();
        var script = Script("hello.py", "print('Content-Type: text/plain\\n\\nhello')\n");
        using var child = await SpawnedProcess.StartRemoteAsync(fds => server.ForkAsync(script, _dir.Path, [script], Env, fds, TimeSpan.FromSeconds(30)));
        Assert.EndsWith("hello\n", await ReadAllAsync(child.Stdio));
        Assert.True(await child.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        server.Retire();

        Assert.False(server.IsAlive);
        AssertGone(server.Pid);
    }

    [Fact]
    public async Task Retire_ScriptRunning_ScriptFinishesThenForkServerExits()
    {
        using var server = await StartPython();
        var script = Script("wait.py", "import sys\nsys.stdin.read()\nprint('Content-Type: text/plain\\n\\nfinished')\n");
        using var child = await SpawnedProcess.StartRemoteAsync(fds => server.ForkAsync(script, _dir.Path, [script], Env, fds, TimeSpan.FromSeconds(30)));

        server.Retire();
        Assert.True(server.IsAlive); // its script still runs: not stopped under it
        Assert.True(Directory.Exists($"/proc/{server.Pid}"));
        child.Stdio.Shutdown(SocketShutdown.Send);

        Assert.EndsWith("finished\n", await ReadAllAsync(child.Stdio));
        Assert.True(await child.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, child.ExitStatus); // exited on its own, not killed
        AssertGone(server.Pid);
        Assert.False(server.IsAlive);
    }

    [Fact]
    public async Task RetireAll_AfterReload_NextForkStartsAnotherForkServer()
    {
        var root = new UnixAccount("root", 0, 0, []);
        var script = Script("hello.py", "print('Content-Type: text/plain\\n\\nhello')\n");
        var logged = new List<string>();
        using (var first = await Fork(root, script, logged))
        {
            Assert.EndsWith("hello\n", await ReadAllAsync(first!.Stdio));
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var before = Assert.Single(PythonPreload.Running);

        Assert.Equal(1, PythonPreload.RetireAll());

        AssertGone(before.Pid);
        Assert.Empty(PythonPreload.Running);
        using var second = await Fork(root, script, logged);
        Assert.EndsWith("hello\n", await ReadAllAsync(second!.Stdio));
        var after = Assert.Single(PythonPreload.Running);
        Assert.NotEqual(before.Pid, after.Pid);
        Assert.Empty(logged);
    }

    [Fact]
    public void InterpreterFor_ScriptRewritten_ShebangReadAgain()
    {
        // Same length, same inode: only the mtime says it changed.
        var script = Script("cached.py", "#!/usr/bin/python3\nprint()\n");
        File.SetLastWriteTimeUtc(script, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(Python, PythonPreload.InterpreterFor(script, null));
        Assert.Equal(Python, PythonPreload.InterpreterFor(script, null)); // from the cache

        File.WriteAllText(script, "#!/bin/sh\necho hello there\n");
        File.SetLastWriteTimeUtc(script, new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.Null(PythonPreload.InterpreterFor(script, null));
        File.Delete(script);
        Assert.Null(PythonPreload.InterpreterFor(script, null));
    }

    private static Task<PythonForkServer> StartPython() =>
        PythonForkServer.StartAsync(Python, Env,
            (path, argv, env, fds) => Task.FromResult((SpawnedProcess.Spawn(path, argv, env, "/", fds, newSession: true), (HelperChild?)null)));

    private Task<SpawnedProcess?> Fork(UnixAccount account, string script, List<string> log) =>
        PythonPreload.TryForkAsync(Python, account, script, _dir.Path, Env,
            (path, argv, env, fds) => Task.FromResult((SpawnedProcess.Spawn(path, argv, env, "/", fds, newSession: true), (HelperChild?)null)),
            log.Add, TimeSpan.FromSeconds(30));

    private string Script(string name, string text)
    {
        var path = _dir.File(name, text);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    private static async Task<string> ReadAllAsync(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            all.Write(buffer, 0, n);
        }

        return Encoding.UTF8.GetString(all.ToArray());
    }

    /// <summary>Waits (bounded, not timed) for the pid to leave /proc.</summary>
    private static void AssertGone(int pid)
    {
        var clock = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"pid {pid} still runs");
            Thread.Sleep(20);
        }
    }
}
