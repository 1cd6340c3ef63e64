using System.Text;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers;
using NginxLite.Routing;

namespace NginxLite.Server.Tests;

/// <summary>How the dispatcher runs a pass directive's content handler: the handler's own response, or its status
/// through nginx's error handling (error_page to a location, to a named location, the built-in page).</summary>
public class ContentHandlerTests
{
    private const string Config = """
        server {
            listen 127.0.0.1:PORT;
            server_name localhost;
            add_header X-Site t;
            location /ok/ { proxy_pass http://127.0.0.1:9; }
            location /bad/ { proxy_pass http://127.0.0.1:9; error_page 502 @down; }
            location /plain/ { proxy_pass http://127.0.0.1:9; }
            location @down { return 503 "down $uri"; }
            location /scgi/ { scgi_pass 127.0.0.1:9; }
        }
        """;

    /// <summary>Answers /ok/… itself (200 with the URI it saw) and hands 502 back for anything else.</summary>
    private sealed class EchoHandler : IContentHandler
    {
        public List<string> Seen { get; } = [];

        public async ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request)
        {
            Seen.Add(request.Uri);
            if (!request.Uri.StartsWith("/ok/", StringComparison.Ordinal))
            {
                request.Log(ErrorLevel.Error, "connect() failed (111: Connection refused) while connecting to upstream");
                return HandlerResult.Error(502);
            }

            var body = Encoding.UTF8.GetBytes("handled " + request.Uri);
            request.Features.Get<IHttpResponseFeature>()!.Headers.ContentLength = body.Length;
            request.StartResponse(200);
            await request.Features.Get<IHttpResponseBodyFeature>()!.Writer.WriteAsync(body);
            request.CountBodyBytes(body.Length);
            return HandlerResult.Sent;
        }
    }

    [Fact]
    public async Task HandlerResponse_GetsServerAndAddHeader()
    {
        await using var s = await TestServer.StartAsync(Config);
        var handler = new EchoHandler();
        s.Server.Runtime.Handlers.Register("proxy_pass", handler);
        var r = await s.SendAsync("/ok/x");
        Assert.Equal(200, r.Status);
        Assert.Equal("handled /ok/x", r.Body);
        Assert.Equal("t", r.Header("X-Site"));
        Assert.StartsWith("nginxlite", r.Header("Server"));
        Assert.Equal(["/ok/x"], handler.Seen);
    }

    [Fact]
    public async Task HandlerError_RunsErrorPageToNamedLocation()
    {
        await using var s = await TestServer.StartAsync(Config);
        s.Server.Runtime.Handlers.Register("proxy_pass", new EchoHandler());
        var r = await s.SendAsync("/bad/y");
        Assert.Equal(502, r.Status); // error_page without "=" keeps the original status, as nginx's err_status does
        Assert.Equal("down /bad/y", r.Body);
        Assert.Contains("while connecting to upstream", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task HandlerError_WithoutErrorPage_IsNginxsPage()
    {
        await using var s = await TestServer.StartAsync(Config);
        s.Server.Runtime.Handlers.Register("proxy_pass", new EchoHandler());
        var r = await s.SendAsync("/plain/z");
        Assert.Equal(502, r.Status);
        Assert.Contains("<title>502 Bad Gateway</title>", r.Body);
    }

    [Fact]
    public async Task DirectiveWithoutHandler_Is502WithALogLine()
    {
        await using var s = await TestServer.StartAsync(Config);
        var r = await s.SendAsync("/scgi/a");
        Assert.Equal(502, r.Status);
        Assert.Contains("\"scgi_pass\" is not implemented yet", s.ReadLog("error.log"));
    }
}
