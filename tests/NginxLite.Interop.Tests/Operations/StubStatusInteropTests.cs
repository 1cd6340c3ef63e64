using System.Diagnostics;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;
using Xunit;
using static NginxLite.Interop.Tests.Lifecycle.ProcessInterfaceSupport;

namespace NginxLite.Interop.Tests.Operations;

/// <summary>
/// stub_status against its real consumers: the same config in Debian's nginx and in nginxlite gives the same text
/// (numbers aside), and Debian's prometheus-nginx-exporter scrapes nginxlite as it scrapes nginx.
/// </summary>
public sealed partial class StubStatusInteropTests
{
    private static string Config(int port) => $$"""
        pid logs/nl.pid;
        events { }
        http {
            access_log off;
            server {
                listen 127.0.0.1:{{port}};
                location = /basic_status { stub_status; }
                location / { return 200 "ok\n"; }
            }
        }
        """;

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    [Fact]
    public void StubStatus_SameTextAsNginx_NumbersAside()
    {
        using var nginxDir = new TempDir();
        using var liteDir = new TempDir();
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, nginxDir.Path + "/", Config);
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, liteDir.Path + "/", Config);
        var expected = Get(nginx.Port, "/basic_status");
        var actual = Get(lite.Port, "/basic_status");
        Assert.Equal(200, expected.Status);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(Number().Replace(expected.Body, "N"), Number().Replace(actual.Body, "N"));
        Assert.Equal(expected.Body.Length > 0, actual.Body.Length > 0);
    }

    [Fact]
    public void PrometheusNginxExporter_ScrapesNginxLite()
    {
        using var dir = new TempDir();
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Path + "/", Config);
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(200, Get(lite.Port, "/x").Status);
        }

        var metricsPort = FreePort.Next();
        var psi = new ProcessStartInfo("/usr/bin/prometheus-nginx-exporter",
            [$"-nginx.scrape-uri=http://127.0.0.1:{lite.Port}/basic_status", $"-web.listen-address=127.0.0.1:{metricsPort}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var exporter = Process.Start(psi)!;
        try
        {
            var metrics = "";
            Assert.True(Eventually(() =>
            {
                var r = Get(metricsPort, "/metrics");
                metrics = r.Body;
                return r.Status == 200 && metrics.Contains("nginx_up", StringComparison.Ordinal);
            }), $"no metrics from the exporter: {metrics}");
            Assert.Matches(@"(?m)^nginx_up(\{[^}]*\})? 1$", metrics);
            var requests = Regex.Match(metrics, @"(?m)^nginx_http_requests_total(\{[^}]*\})? (\d+)$");
            Assert.True(requests.Success, metrics);
            Assert.True(long.Parse(requests.Groups[2].Value) >= 8, metrics); // 7 requests + the scrape itself
            Assert.Matches(@"(?m)^nginx_connections_accepted(\{[^}]*\})? \d+$", metrics);
        }
        finally
        {
            if (!exporter.HasExited)
            {
                exporter.Kill();
                exporter.WaitForExit(Bound);
            }
        }
    }
}
