using NginxLite.TestSupport;
using System.Diagnostics;
using System.Globalization;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using Xunit;
using static NginxLite.Interop.Tests.Lifecycle.ProcessInterfaceSupport;

namespace NginxLite.Interop.Tests.Lifecycle;

/// <summary>
/// nginx's process interface on the real <c>nginxlite</c> binary (<see cref="NginxLiteExecutable"/>: set
/// $NGINXLITE_BIN to test a fresh build): pid file, <c>-s reload|reopen</c>, QUIT/TERM, bind failures.
/// Loopback only, every wait bounded, every process stopped by its PID.
/// </summary>
public sealed class ProcessInterfaceTests
{
    // Bigger than what loopback TCP buffers between a stalled reader and the server (the send buffer alone grows to
    // tcp_wmem's 4 MiB): with a 1 MiB file the kernel holds the whole body and nothing is in flight in the server.
    private const int BigFileSize = 16 * 1024 * 1024;

    private static string Config(int port, string body, string extra = "") => $$"""
        pid logs/nl.pid;
        events { }
        http {
            access_log logs/access.log;
            server {
                listen 127.0.0.1:{{port}};
                root html;
                location = / { return 200 "{{body}}\n"; }
                {{extra}}
            }
        }
        """;

    private static string PidFile(ServerProcess server) => Path.Combine(server.Prefix, "logs", "nl.pid");

    [Fact]
    public void PidFile_AppearsOnlyOnceEveryListenerIsBound_AndIsRemovedOnExit()
    {
        using var dir = new TempDir();
        var prefix = dir.Path + "/";
        Directory.CreateDirectory(prefix + "conf");
        Directory.CreateDirectory(prefix + "logs");
        var (a, b) = (FreePort.Next(), FreePort.Next());
        var conf = prefix + "conf/server.conf";
        File.WriteAllText(conf, $$"""
            pid logs/nl.pid;
            events { }
            http {
                server { listen 127.0.0.1:{{a}}; return 200 "a\n"; }
                server { listen 127.0.0.1:{{b}}; return 200 "b\n"; }
            }
            """);
        var pidFile = prefix + "logs/nl.pid";
        var psi = ServerFlavor.NginxLite.StartInfo(conf, prefix, prefix + "logs/error.log");
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardInput = true;
        using var process = Process.Start(psi)!;
        try
        {
            // Poll as fast as we can: the moment the pid file exists, both sockets must already accept.
            var clock = Stopwatch.StartNew();
            while (!File.Exists(pidFile) && !process.HasExited && clock.Elapsed < Bound)
            {
                Thread.Sleep(1);
            }

            Assert.True(File.Exists(pidFile), $"no pid file within {Bound.TotalSeconds:0} s (exited: {process.HasExited})");
            Assert.True(ListeningNow(a), $"first listener not accepting when the pid file appeared ({State(process)})");
            Assert.True(ListeningNow(b), $"second listener not accepting when the pid file appeared ({State(process)})");
            Assert.True(Eventually(() => ReadPid(pidFile) == process.Id), $"pid file holds \"{ReadText(pidFile)}\", not {process.Id}");
            Assert.Equal((200, "b\n"), Get(b));

            Assert.True(PosixSignal.Send(process.Id, PosixSignal.Quit));
            Assert.True(process.WaitForExit(Bound), "no exit within the bound after SIGQUIT");
            Assert.True(process.ExitCode == 0, State(process));
            Assert.False(File.Exists(pidFile), "pid file left behind after exit");
        }
        finally
        {
            if (!process.HasExited)
            {
                PosixSignal.Send(process.Id, PosixSignal.Kill);
                process.WaitForExit(Bound);
            }
        }
    }

    [Fact]
    public void Reload_StartedUnderNohup_SighupStillReloads()
    {
        // nohup (and a shell's background jobs) start the server with SIGHUP ignored; the runtime leaves an ignored
        // signal ignored, but nginx installs its handlers regardless, so HUP reloads and TERM stops as usual.
        using var dir = new TempDir();
        var (prefix, port, conf) = NewPrefix(dir.Path, p => Config(p, "before"));
        var psi = ServerFlavor.NginxLite.StartInfo(conf, prefix, prefix + "logs/error.log");
        psi.ArgumentList.Insert(0, psi.FileName);
        psi.FileName = "/usr/bin/nohup"; // execs the server with SIGHUP set to SIG_IGN: same pid
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardInput = true;
        using var process = Process.Start(psi)!;
        try
        {
            Assert.True(Eventually(() => ReadPid(prefix + "logs/nl.pid") == process.Id), $"not serving ({State(process)})");
            Assert.Equal((200, "before\n"), Get(port));
            File.WriteAllText(conf, Config(port, "after"));

            Assert.True(PosixSignal.Send(process.Id, PosixSignal.Hup));
            Assert.True(Eventually(() => Get(port) == (200, "after\n")), $"SIGHUP did not reload ({State(process)})");
            Assert.True(PosixSignal.Send(process.Id, PosixSignal.Term));
            Assert.True(process.WaitForExit(Bound), "no exit within the bound after SIGTERM");
        }
        finally
        {
            if (!process.HasExited)
            {
                PosixSignal.Send(process.Id, PosixSignal.Kill);
                process.WaitForExit(Bound);
            }
        }
    }

    private static string State(Process p)
    {
        if (!p.HasExited)
        {
            return $"pid {p.Id} running";
        }

        return $"pid {p.Id} exited with {p.ExitCode}; stderr: {p.StandardError.ReadToEnd()}";
    }

    [Fact]
    public void Reload_ChangedConfig_ServesTheNewConfigFromTheSameProcess()
    {
        using var dir = new TempDir();
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", p => Config(p, "one"));
        Assert.Equal((200, "one\n"), Get(server.Port));
        var pid = ReadPid(PidFile(server));
        Assert.Equal(server.Pid, pid);

        File.WriteAllText(ConfigFile(server), Config(server.Port, "two"));
        var (exit, stderr) = SendSignal(server, "reload");

        Assert.True(exit == 0, $"-s reload exited {exit}: {stderr}");
        Assert.True(Eventually(() => Get(server.Port) == (200, "two\n")), $"still not serving the new config\n{server.Describe()}");
        Assert.False(server.HasExited);
        Assert.Equal(server.Pid, ReadPid(PidFile(server)));
    }

    [Fact]
    public void Reload_BrokenConfig_LogsEmergAndKeepsServingTheOldConfig()
    {
        using var dir = new TempDir();
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", p => Config(p, "old"));
        Assert.Equal((200, "old\n"), Get(server.Port));

        File.WriteAllText(ConfigFile(server), Config(server.Port, "new", "bogus_directive on;"));
        var (exit, stderr) = SendSignal(server, "reload");

        Assert.True(exit == 0, $"-s reload exited {exit}: {stderr}");
        Assert.True(
            Eventually(() => ReadText(server.ErrorLog).Contains("[emerg]", StringComparison.Ordinal)),
            $"no [emerg] in the error log after a broken reload\n{server.Describe()}");
        Assert.Contains("unknown directive \"bogus_directive\"", ReadText(server.ErrorLog));
        Assert.Equal((200, "old\n"), Get(server.Port));
        Assert.False(server.HasExited);
        Assert.Equal(server.Pid, ReadPid(PidFile(server)));
    }

    [Fact]
    public void Quit_DuringASlowDownload_FinishesTheResponseThenExits()
    {
        using var dir = new TempDir();
        var html = dir.Dir("html");
        var content = new byte[BigFileSize];
        new Random(42).NextBytes(content);
        File.WriteAllBytes(Path.Combine(html, "big.bin"), content);
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", p => Config(p, "up"));
        using var client = new SlowClient(server.Port, "/big.bin");
        client.ReadHeadAnd(16 * 1024);
        Assert.StartsWith("HTTP/1.1 200", client.Head);
        Assert.Equal(BigFileSize, client.ContentLength);

        Assert.True(PosixSignal.Send(server.Pid, PosixSignal.Quit));

        // The listener closes at once; the process waits for the download still in flight.
        Assert.True(Eventually(() => !ListeningNow(server.Port)), "still accepting connections after SIGQUIT");
        Thread.Sleep(300);
        Assert.False(server.HasExited, $"exited with a response in flight\n{server.Describe()}");

        var (body, closedAfter) = client.ReadRest();
        Assert.Equal(BigFileSize, body.Length);
        Assert.True(content.AsSpan().SequenceEqual(body), "the body differs from the file");
        Assert.True(closedAfter, "the connection stayed open after the in-flight response (keep-alive during a graceful stop)");
        Assert.True(server.WaitForExit(Bound), $"no exit after the last response\n{server.Describe()}");
        Assert.Equal(0, server.ExitCode);
        Assert.False(File.Exists(PidFile(server)), "pid file left behind after a graceful stop");
    }

    [Fact]
    public void Term_WithAStalledDownload_StopsPromptly()
    {
        using var dir = new TempDir();
        var html = dir.Dir("html");
        File.WriteAllBytes(Path.Combine(html, "big.bin"), new byte[BigFileSize]);
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", p => Config(p, "up"));
        using var client = new SlowClient(server.Port, "/big.bin");
        client.ReadHeadAnd(16 * 1024);

        var clock = Stopwatch.StartNew();
        Assert.True(PosixSignal.Send(server.Pid, PosixSignal.Term));

        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(3)), $"SIGTERM: still running after 3 s\n{server.Describe()}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"SIGTERM took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(0, server.ExitCode);
        Assert.False(File.Exists(PidFile(server)), "pid file left behind after a fast stop");
    }

    [Fact]
    public void Reopen_AfterRenamingAccessLog_WritesANewAccessLog()
    {
        using var dir = new TempDir();
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", p => Config(p, "up"));
        var log = Path.Combine(server.Prefix, "logs", "access.log");
        Assert.Equal(200, Get(server.Port, "/?before").Status);
        Assert.True(Eventually(() => ReadText(log).Contains("/?before", StringComparison.Ordinal)), $"no access.log line\n{server.Describe()}");
        File.Move(log, log + ".1");

        var (exit, stderr) = SendSignal(server, "reopen");
        Assert.True(exit == 0, $"-s reopen exited {exit}: {stderr}");
        Assert.True(Eventually(() => File.Exists(log)), $"no new access.log after -s reopen\n{server.Describe()}");
        Assert.Equal(200, Get(server.Port, "/?after").Status);

        Assert.True(Eventually(() => ReadText(log).Contains("/?after", StringComparison.Ordinal)), $"new access.log has no line\n{server.Describe()}");
        Assert.DoesNotContain("/?after", ReadText(log + ".1"));
        Assert.Contains("/?before", ReadText(log + ".1"));
    }

    [Fact]
    public async Task SecondInstance_OnTheSamePort_FailsWithABindErrorAndExit1()
    {
        using var dir = new TempDir();
        using var first = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/first/", p => Config(p, "first"));
        var secondPrefix = dir.Dir("second") + "/";
        Directory.CreateDirectory(secondPrefix + "conf");
        var conf = secondPrefix + "conf/server.conf";

        // Same port, and the first one's pid file: a failed start must neither bind nor touch it.
        File.WriteAllText(conf, Config(first.Port, "second").Replace("pid logs/nl.pid;", $"pid {PidFile(first)};", StringComparison.Ordinal));
        var psi = ServerFlavor.NginxLite.StartInfo(conf, secondPrefix, secondPrefix + "logs/error.log");
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        using var second = Process.Start(psi)!;
        var stderrTask = second.StandardError.ReadToEndAsync();
        if (!second.WaitForExit(Bound))
        {
            PosixSignal.Send(second.Id, PosixSignal.Kill);
            second.WaitForExit(Bound);
            Assert.Fail("the second instance kept running on a port already in use");
        }

        var stderr = await stderrTask;
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("[emerg] bind() failed", stderr);
        Assert.Contains("address already in use", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(first.Pid, ReadPid(PidFile(first)));
        Assert.Equal((200, "first\n"), Get(first.Port));
    }
}
