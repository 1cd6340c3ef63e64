using System.Diagnostics;
using NginxLite.Interop.Tests.Servers;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// An upstream that refuses, resets before its headers, sends garbage or a too big header, closes early or hangs:
/// nginx and nginxlite answer the same status (502, or 504 for a timeout) and write the same error-log line.
/// </summary>
public sealed class UpstreamFaultTests(FaultSite site) : IClassFixture<FaultSite>
{
    [Theory]
    [InlineData("/fastcgi/refused", 502)]
    [InlineData("/fastcgi/missing", 502)]
    [InlineData("/fastcgi/ResetBeforeHeaders", 502)]
    [InlineData("/fastcgi/Garbage", 502)]
    [InlineData("/fastcgi/CloseBeforeHeaders", 502)]
    [InlineData("/fastcgi/TooBigHeader", 502)]
    [InlineData("/fastcgi/Hang", 504)]
    [InlineData("/uwsgi/refused", 502)]
    [InlineData("/uwsgi/missing", 502)]
    [InlineData("/uwsgi/ResetBeforeHeaders", 502)]
    [InlineData("/uwsgi/CloseBeforeHeaders", 502)]
    [InlineData("/uwsgi/TooBigHeader", 502)]
    [InlineData("/uwsgi/Hang", 504)]
    public void Fault_SameStatusAndLogLineAsNginx(string path, int status)
    {
        var pair = site.Pair!;
        var nginxLine = Request(pair.Nginx!, path, status);
        var liteLine = Request(pair.NginxLite, path, status);
        Assert.StartsWith("[", nginxLine);
        Assert.Equal(nginxLine, liteLine);
    }

    [Fact]
    public void Fault_TcpRefused_502WithNginxsLine()
    {
        var pair = site.Pair!;
        var nginxLine = Request(pair.Nginx!, "/fastcgi/tcp-refused", 502);
        var liteLine = Request(pair.NginxLite, "/fastcgi/tcp-refused", 502);
        Assert.Equal("[error] connect() failed (111: Connection refused) while connecting to upstream", nginxLine);
        Assert.Equal(nginxLine, liteLine);
    }

    [Fact]
    public void Fault_ErrorPageToNamedLocation_Answers()
    {
        var r = site.Pair!.Both("fallback", port => UpstreamClient.Get(port, "/fallback/x"));
        Assert.Equal(200, r.Status);
    }

    /// <summary>Sends one request, asserts the status, returns the error-log line it caused (waiting for it).</summary>
    private static string Request(ServerProcess server, string path, int status)
    {
        var before = UpstreamPair.LogLines(server).Count;
        var r = UpstreamClient.Get(server.Port, path);
        Assert.True(r.Status == status, $"{server.Flavor} {path}: {r.Dump()}\n{server.Describe()}");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var lines = UpstreamPair.LogLines(server);
            if (lines.Count > before || clock.Elapsed > TimeSpan.FromSeconds(3))
            {
                return string.Join("\n", lines.Skip(before));
            }

            Thread.Sleep(50);
        }
    }
}
