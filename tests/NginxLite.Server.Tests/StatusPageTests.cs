using System.Text.Json;

namespace NginxLite.Server.Tests;

/// <summary><c>status_page on;</c>: the page, or nginxlite_status's JSON when the query has <c>format=json</c>.</summary>
public sealed class StatusPageTests
{
    private const string Config = """
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            location = /dash { status_page on; }
            location = /off { status_page off; return 200 "plain"; }
            location / { return 200 "ok"; }
        }
        """;

    [Theory]
    [InlineData("/dash?format=json")]
    [InlineData("/dash?a=1&format=json&b=2")]
    public async Task StatusPage_FormatJsonInQuery_ServesTheStatusJson(string target)
    {
        await using var s = await TestServer.StartAsync(Config);
        Assert.Equal("ok", (await s.SendAsync("/x")).Body);

        var r = await s.SendAsync(target);

        Assert.Equal(200, r.Status);
        Assert.Equal("application/json", r.Header("Content-Type"));
        using var json = JsonDocument.Parse(r.Body);
        Assert.True(json.RootElement.GetProperty("servers").GetProperty("localhost").GetProperty("requests").GetInt64() >= 1);
        Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("apps").ValueKind);
        Assert.Null(r.Header("Content-Security-Policy"));
    }

    [Theory]
    [InlineData("/dash")]
    [InlineData("/dash?format=jsonp")]
    [InlineData("/dash?xformat=json")]
    public async Task StatusPage_NoFormatJson_ServesTheHtmlPageWithCsp(string target)
    {
        await using var s = await TestServer.StartAsync(Config);

        var r = await s.SendAsync(target);

        Assert.Equal(200, r.Status);
        Assert.Equal("text/html; charset=utf-8", r.Header("Content-Type"));
        Assert.StartsWith("<!DOCTYPE html>", r.Body);
        Assert.Contains("?format=json", r.Body);
        Assert.StartsWith("default-src 'none'; script-src 'sha256-", r.Header("Content-Security-Policy"));
        Assert.Equal("no-cache", r.Header("Cache-Control"));
    }

    [Fact]
    public async Task StatusPage_HeadAndPostAndOff_NoBody405AndNotServed()
    {
        await using var s = await TestServer.StartAsync(Config);

        var head = await s.SendAsync("/dash", "HEAD");
        Assert.Equal(200, head.Status);
        Assert.Equal("", head.Body);
        Assert.Equal(405, (await s.SendAsync("/dash", "POST")).Status);
        Assert.Equal("plain", (await s.SendAsync("/off")).Body);
    }
}
