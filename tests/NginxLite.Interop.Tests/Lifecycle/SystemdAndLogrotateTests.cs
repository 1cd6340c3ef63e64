using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;
using Xunit;
using static NginxLite.Interop.Tests.Lifecycle.ProcessInterfaceSupport;

namespace NginxLite.Interop.Tests.Lifecycle;

/// <summary>
/// What operators' tools see: systemd's notify protocol on a real datagram socket (as systemd reads it), the shipped
/// unit file checked by <c>systemd-analyze verify</c>, and the shipped logrotate policy run by the real logrotate
/// against a running server.
/// </summary>
public sealed class SystemdAndLogrotateTests
{
    private static string Config(int port) => $$"""
        pid logs/nl.pid;
        events { }
        http {
            access_log logs/access.log;
            server {
                listen 127.0.0.1:{{port}};
                location = / { return 200 "up\n"; }
            }
        }
        """;

    [Fact]
    public void Notify_ReadyAfterBind_ReloadingThenReadyOnHup_StoppingOnQuit()
    {
        using var dir = new TempDir();
        var (prefix, port, conf) = NewPrefix(dir.Path, Config);
        var socketPath = prefix + "notify.sock";
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        notify.ReceiveTimeout = (int)Bound.TotalMilliseconds;

        var psi = ServerFlavor.NginxLite.StartInfo(conf, prefix, prefix + "logs/error.log");
        psi.Environment["NOTIFY_SOCKET"] = socketPath;
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        using var process = Process.Start(psi)!;
        try
        {
            var ready = Receive(notify);
            Assert.Equal("READY=1", ready);
            Assert.True(ListeningNow(port), "READY=1 sent before the listener accepts");
            Assert.True(File.Exists(prefix + "logs/nl.pid"), "READY=1 sent before the pid file was written");

            Assert.True(PosixSignal.Send(process.Id, PosixSignal.Hup));
            Assert.Equal("RELOADING=1", Receive(notify));
            Assert.Equal("READY=1", Receive(notify));
            Assert.Equal((200, "up\n"), Get(port));

            Assert.True(PosixSignal.Send(process.Id, PosixSignal.Quit));
            Assert.Equal("STOPPING=1", Receive(notify));
            Assert.True(process.WaitForExit(Bound), "no exit after SIGQUIT");
            Assert.Equal(0, process.ExitCode);
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

    private static string Receive(Socket socket)
    {
        var buffer = new byte[4096];
        var n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n).Trim();
    }

    [Fact]
    public void UnitFile_PassesSystemdAnalyzeVerify()
    {
        // The unit names /usr/local/bin/nginxlite (where install.sh links it); verify checks that the binaries exist,
        // so point it at the binary under test, as install.sh does for another BINDIR.
        using var dir = new TempDir();
        var exe = NginxLiteExecutable.Find().Path;
        var unit = File.ReadAllText(Path.Combine(RepoPaths.Root, "conf", "nginxlite.service"))
            .Replace("/usr/local/bin/nginxlite", exe, StringComparison.Ordinal);
        Assert.Contains("Type=notify", unit);
        Assert.Contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID CAP_CHOWN", unit);
        var path = Path.Combine(dir.Path, "nginxlite.service");
        File.WriteAllText(path, unit);
        var (exit, output) = Run("systemd-analyze", "verify", path);
        Assert.True(exit == 0 && output.Trim().Length == 0, $"systemd-analyze verify exited {exit}:\n{output}");

        // The check itself can fail: a broken copy is refused.
        File.WriteAllText(path, unit.Replace("Type=notify", "Type=bogus", StringComparison.Ordinal));
        var (badExit, badOutput) = Run("systemd-analyze", "verify", path);
        Assert.True(badExit != 0 || badOutput.Contains("bogus", StringComparison.Ordinal), badOutput);
    }

    [Fact]
    public void LogrotatePolicy_RotatesAndTheServerReopens()
    {
        using var dir = new TempDir();
        using var server = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", Config);
        var prefix = server.Prefix.TrimEnd('/');
        var log = Path.Combine(prefix, "logs", "access.log");
        Assert.Equal(200, Get(server.Port, "/?before").Status);
        Assert.True(Eventually(() => ReadText(log).Contains("/?before", StringComparison.Ordinal)), server.Describe());

        // The shipped policy with install.sh's substitutions for this prefix and binary.
        var exe = NginxLiteExecutable.Find().Path;
        var policy = File.ReadAllText(Path.Combine(RepoPaths.Root, "conf", "logrotate.d", "nginxlite"))
            .Replace("/usr/local/nginxlite/logs/nginxlite.pid", Path.Combine(prefix, "logs", "nl.pid"), StringComparison.Ordinal)
            .Replace("/usr/local/bin/nginxlite -s reopen", $"{exe} -p {prefix}/ -c {ConfigFile(server)} -s reopen", StringComparison.Ordinal)
            .Replace("/usr/local/nginxlite/logs", Path.Combine(prefix, "logs"), StringComparison.Ordinal)
            .Replace("create 0640 root adm", "create 0640", StringComparison.Ordinal);
        var policyFile = Path.Combine(dir.Path, "logrotate.conf");
        File.WriteAllText(policyFile, policy);
        var (exit, output) = Run("logrotate", "-f", "-s", Path.Combine(dir.Path, "state"), policyFile);
        Assert.True(exit == 0, $"logrotate exited {exit}:\n{output}");
        Assert.Contains("/?before", ReadText(log + ".1"));

        Assert.True(Eventually(() => File.Exists(log)), $"no new access.log after postrotate\n{server.Describe()}");
        Assert.Equal(200, Get(server.Port, "/?after").Status);
        Assert.True(Eventually(() => ReadText(log).Contains("/?after", StringComparison.Ordinal)), server.Describe());
        Assert.DoesNotContain("/?after", ReadText(log + ".1"));
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Bound))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not exit within {Bound.TotalSeconds:0} s");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
