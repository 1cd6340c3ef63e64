using System.Text.RegularExpressions;

namespace NginxLite.Server.Tests;

/// <summary>stub_status: nginx's exact text and counters that move with the traffic.</summary>
public partial class StubStatusTests
{
    private const string Config = """
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            location = /status { stub_status; }
            location /status/ { stub_status; location /status/inner/ { } }
            location / { return 200 "ok"; }
        }
        """;

    [GeneratedRegex(@"^Active connections: (\d+) \nserver accepts handled requests\n (\d+) (\d+) (\d+) \nReading: (\d+) Writing: (\d+) Waiting: (\d+) \n$")]
    private static partial Regex StatusText();

    [Fact]
    public async Task StubStatus_NginxFormat_CountsRequests()
    {
        await using var s = await TestServer.StartAsync(Config);
        var first = await s.SendAsync("/status");
        Assert.Equal(200, first.Status);
        Assert.Equal("text/plain", first.Header("Content-Type"));
        var m1 = StatusText().Match(first.Body);
        Assert.True(m1.Success, first.Body);
        Assert.Equal(m1.Groups[2].Value, m1.Groups[3].Value); // handled = accepts
        Assert.True(long.Parse(m1.Groups[6].Value) >= 1, "the status request itself is being written");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("ok", (await s.SendAsync("/x")).Body);
        }

        var m2 = StatusText().Match((await s.SendAsync("/status")).Body);
        Assert.True(m2.Success);
        Assert.Equal(long.Parse(m1.Groups[4].Value) + 6, long.Parse(m2.Groups[4].Value));
        Assert.Equal(long.Parse(m1.Groups[2].Value) + 6, long.Parse(m2.Groups[2].Value)); // one connection per SendAsync
    }

    [Fact]
    public async Task StubStatus_Post_Is405_AndNestedLocationDoesNotInheritIt()
    {
        await using var s = await TestServer.StartAsync(Config);
        Assert.Equal(405, (await s.SendAsync("/status", "POST")).Status);
        Assert.Equal(200, (await s.SendAsync("/status/x")).Status);
        Assert.Equal(404, (await s.SendAsync("/status/inner/x")).Status);
    }
}
