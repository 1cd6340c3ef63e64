using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>fastcgi_pass to fcgiwrap running a CGI shell script: nginx and nginxlite side by side, the same status,
/// headers and environment as the script saw it, and its body on stdin.</summary>
public sealed class FcgiWrapTests
{
    private const string Script = """
        #!/bin/sh
        printf 'Status: 201 Created\r\nContent-Type: text/plain\r\nX-Code: cgi\r\n\r\n'
        env | grep -E '^(REQUEST_METHOD|SCRIPT_NAME|QUERY_STRING|CONTENT_LENGTH|HTTP_X_SOME|SERVER_PROTOCOL|DOCUMENT_URI)=' | sort
        printf 'STDIN_BYTES=%s\n' "$(head -c "${CONTENT_LENGTH:-0}" | wc -c)"
        """;

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    public void CgiScript_SameAsNginx(int bodySize)
    {
        using var dir = new TempDir("nginxlite-fcgiwrap-");
        var www = dir.Dir("www");
        var script = dir.File("www/env.cgi", Script);
        File.SetUnixFileMode(script, (UnixFileMode)0x1ed); // 0755
        using var wrap = Backends.StartFcgiWrap(dir);
        using var pair = new UpstreamPair(dir, port => $$"""
            events {}
            http {
                access_log off;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{www}};
                    location ~ \.cgi$ {
                        fastcgi_pass unix:{{wrap.Socket}};
                        include {{RepoPaths.Conf}}/fastcgi.conf;
                    }
                }
            }
            """);
        var body = UpstreamClient.Body(bodySize);
        var r = pair.Both($"fcgiwrap {bodySize}", port => UpstreamClient.Post(port, "/env.cgi?q=1", body, chunked: false, "X-Some: s\r\n"));
        Assert.Equal(201, r.Status);
        var p = UpstreamClient.Params(r);
        Assert.Equal(("POST", "/env.cgi", "q=1", "s"), (p["REQUEST_METHOD"], p["SCRIPT_NAME"], p["QUERY_STRING"], p["HTTP_X_SOME"]));
        Assert.Equal(bodySize.ToString(), p["STDIN_BYTES"]);
        Assert.Equal("cgi", r.Header("X-Code"));
    }
}
