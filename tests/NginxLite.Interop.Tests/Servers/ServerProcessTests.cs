using System.Diagnostics;
using NginxLite.Interop.Tests.Differential;
using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Servers;

/// <summary>The fixture's process contract, shown with nginx: start on a free port, pid file, stop by PID, clear failures.</summary>
public sealed class ServerProcessTests
{
    private static string Minimal(int port) => $$"""
        pid logs/server.pid;
        events { }
        http {
            server {
                listen 127.0.0.1:{{port}};
                location / { return 200 "up\n"; }
            }
        }
        """;

    [Fact]
    public void Start_Nginx_AcceptsOnPortWritesPidFileAndStopsByPid()
    {
        using var site = new StaticSite();
        var prefix = site.NewPrefix("process");
        int pid;
        using (var server = ServerProcess.Start(ServerFlavor.Nginx, prefix, Minimal))
        {
            pid = server.Pid;
            var r = RawHttpClient.Send(server.Port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray(), false, TimeSpan.FromSeconds(5));

            Assert.Equal(200, r.Status);
            Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(prefix, "logs", "server.pid")).Trim());
        }

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        Assert.False(File.Exists(Path.Combine(prefix, "logs", "server.pid")));
    }

    [Fact]
    public void Start_BadConfig_FailsWithTheErrorInsteadOfWaiting()
    {
        using var site = new StaticSite();

        var e = Assert.Throws<ServerStartException>(() =>
            ServerProcess.Start(ServerFlavor.Nginx, site.NewPrefix("bad"), _ => "events { }\nhttp { bogus_directive; }\n"));

        Assert.Contains("nginx exited with code 1 before accepting connections", e.Message);
        Assert.Contains("unknown directive \"bogus_directive\"", e.Message);
    }

    /// <summary>A "server" that starts and never listens (like a hung engine): /bin/sleep.</summary>
    private sealed class SilentFlavor : ServerFlavor
    {
        public override string Name => "silent";

        public override string ErrorPageName => "silent";

        public override ProcessStartInfo StartInfo(string configFile, string prefix, string errorLog) => new("/bin/sleep", ["600"]);
    }

    [Fact]
    public void Start_NeverListens_TimesOutAndStopsTheProcess()
    {
        using var site = new StaticSite();

        var e = Assert.Throws<ServerStartException>(() => ServerProcess.Start(new SilentFlavor(), site.NewPrefix("silent"), Minimal));

        Assert.Contains("silent did not accept connections on 127.0.0.1:", e.Message);
        var pid = int.Parse(System.Text.RegularExpressions.Regex.Match(e.Message, @"pid (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    [Fact]
    public void NginxLiteExecutable_Found_ReportsHow()
    {
        var exe = NginxLiteExecutable.Find();

        Assert.True(File.Exists(exe.Path), exe.ToString());
    }
}
