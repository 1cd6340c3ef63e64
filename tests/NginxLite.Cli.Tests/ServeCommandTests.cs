using Xunit;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Cli.Tests;

public class ServeCommandTests
{
    [Fact]
    public async Task Serve_ValidConfig_WritesPidServesAndRemovesPid()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "nl-serve-" + Guid.NewGuid().ToString("N")) + "/";
        Directory.CreateDirectory(prefix + "conf");
        var port = FreePort();
        File.WriteAllText(prefix + "conf/nginxlite.conf", $"daemon off;\nevents {{}}\nhttp {{ server {{ listen 127.0.0.1:{port}; return 200 hi; }} }}\n");
        var options = new CommandLineOptions();
        using var log = ErrorLogSink.Open(null, prefix, TextWriter.Null);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = ServeCommand.RunAsync(prefix + "conf/nginxlite.conf", prefix, options, log, cts.Token);
        var pid = prefix + "logs/nginxlite.pid";
        while (!File.Exists(pid) && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        Assert.Equal(Environment.ProcessId.ToString(), File.ReadAllText(pid).Trim());
        Assert.Contains("hi", await Get(port));
        await cts.CancelAsync();
        Assert.Equal(0, await run);
        Assert.False(File.Exists(pid));
        Directory.Delete(prefix, true);
    }

    [Fact]
    public async Task Serve_InvalidConfig_Exits1WithoutServing()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "nl-serve-" + Guid.NewGuid().ToString("N")) + "/";
        Directory.CreateDirectory(prefix + "conf");
        File.WriteAllText(prefix + "conf/nginxlite.conf", "events {}\nhttp { server { listen 127.0.0.1:1; bogus; } }\n");
        var stderr = new StringWriter();
        using var log = ErrorLogSink.Open(null, prefix, stderr);
        Assert.Equal(1, await ServeCommand.RunAsync(prefix + "conf/nginxlite.conf", prefix, new CommandLineOptions(), log, CancellationToken.None));
        Assert.Contains("unknown directive \"bogus\"", stderr.ToString());
        Assert.False(File.Exists(prefix + "logs/nginxlite.pid"));
        Directory.Delete(prefix, true);
    }

    [Fact]
    public async Task Reload_BadConfig_LogsEmergAndKeepsServing()
    {
        var (prefix, port, conf, service) = ServiceOn("nl-reload-");
        await using var _ = service;
        await service.StartAsync(CancellationToken.None);
        File.WriteAllText(conf, "events {}\nhttp { server { bogus; } }\n");
        await service.ReloadAsync();
        Assert.Contains("old", await Get(port));
        Assert.Contains("[emerg]", File.ReadAllText(prefix + "logs/error.log"));
        File.WriteAllText(conf, $"events {{}}\nhttp {{ server {{ listen 127.0.0.1:{port}; return 200 new; }} }}\n");
        await service.ReloadAsync();
        Assert.Contains("new", await Get(port));
        await service.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(prefix + "logs/nginxlite.pid"));
    }

    [Fact]
    public async Task Reload_RequestedBeforeStartCompletes_IsCarriedOutOnceStarted()
    {
        // A SIGHUP can arrive while the server starts (its port already answers); nginx's master keeps it for its loop.
        var (prefix, port, conf, service) = ServiceOn("nl-early-reload-");
        await using var _ = service;
        File.WriteAllText(conf, $"events {{}}\nhttp {{ server {{ listen 127.0.0.1:{port}; return 200 new; }} }}\n");
        var reload = service.ReloadAsync();
        Assert.False(reload.IsCompleted);
        await service.StartAsync(CancellationToken.None);
        await reload.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("new", await Get(port));
        await service.StopAsync(CancellationToken.None);
        Directory.Delete(prefix, true);
    }

    [Fact]
    public async Task Serve_PortTaken_Exits1WithBindErrorAndNoPid()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var prefix = Path.Combine(Path.GetTempPath(), "nl-bind-" + Guid.NewGuid().ToString("N")) + "/";
        Directory.CreateDirectory(prefix + "conf");
        File.WriteAllText(prefix + "conf/nginxlite.conf", $"events {{}}\nhttp {{ server {{ listen 127.0.0.1:{port}; return 200 hi; }} }}\n");
        var stderr = new StringWriter();
        using var log = ErrorLogSink.Open(null, prefix, stderr);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await ServeCommand.RunAsync(prefix + "conf/nginxlite.conf", prefix, new CommandLineOptions(), log, cts.Token));
        Assert.Contains("[emerg] bind() failed", stderr.ToString());
        Assert.False(File.Exists(prefix + "logs/nginxlite.pid"));
        Directory.Delete(prefix, true);
    }

    /// <summary>A hosted service (not started) on a fresh prefix whose config answers "old" on a free port; its reload
    /// reads the same config file again.</summary>
    private static (string Prefix, int Port, string Conf, Server.Hosting.NginxLiteHostedService Service) ServiceOn(string name)
    {
        var prefix = Path.Combine(Path.GetTempPath(), name + Guid.NewGuid().ToString("N")) + "/";
        Directory.CreateDirectory(prefix + "conf");
        var port = FreePort();
        var conf = prefix + "conf/nginxlite.conf";
        File.WriteAllText(conf, $"events {{}}\nhttp {{ server {{ listen 127.0.0.1:{port}; return 200 old; }} }}\n");
        var load = Routing.Compilation.RouteTableLoader.Load(conf, prefix);
        return (prefix, port, conf, new Server.Hosting.NginxLiteHostedService(
            new Server.Hosting.ServeSettings(load.Table!, () => Routing.Compilation.RouteTableLoader.Load(conf, prefix))));
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<string> Get(int port)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), cts.Token);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cts.Token);
    }
}
