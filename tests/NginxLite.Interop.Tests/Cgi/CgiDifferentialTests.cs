using Xunit;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Cgi;

/// <summary>
/// The same scripts behind nginx + fcgiwrap (what people run today; fcgiwrap as the CGI user) and behind nginxlite's
/// <c>cgi</c> (cgi_user the same user): the same status and the same body for each request. Error pages differ only
/// by the product name, which is normalised.
/// </summary>
public sealed class CgiDifferentialTests : IDisposable
{
    private static readonly (string Name, string Text)[] Scripts =
    [
        ("env.cgi", "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REQUEST_METHOD|$QUERY_STRING|$SCRIPT_NAME|$PATH_INFO|$CONTENT_LENGTH|$CONTENT_TYPE|$HTTP_X_TEST|${HTTP_PROXY:-unset}|$GATEWAY_INTERFACE|$(id -u)\""),
        ("echo.cgi", "#!/bin/sh\necho 'Content-Type: application/octet-stream'\necho\ncat"),
        ("status.cgi", "#!/bin/sh\nprintf 'Status: 404 Not Found\\r\\nContent-Type: text/plain\\r\\n\\r\\nno such thing\\n'"),
        ("away.cgi", "#!/bin/sh\necho 'Location: http://example.com/elsewhere'\necho"),
        ("nohdr.cgi", "#!/bin/sh\necho 'just text, no header block'"),
        ("fail.cgi", "#!/bin/sh\nexit 1"),
        ("app.py", "#!/usr/bin/python3\nimport os\nprint('Content-Type: text/plain')\nprint()\nprint('python', os.environ['REQUEST_METHOD'], os.environ.get('QUERY_STRING', ''))"),
    ];

    private static readonly string[] Requests =
    [
        "GET /cgi-bin/hello.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /cgi-bin/env.cgi?a=1&b=%20x HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\nProxy: http://evil:3128\r\nConnection: close\r\n\r\n",
        "GET /cgi-bin/env.cgi/extra/path HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "POST /cgi-bin/env.cgi HTTP/1.1\r\nHost: x\r\nContent-Type: text/x-a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
        "POST /cgi-bin/echo.cgi HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world",
        "POST /cgi-bin/echo.cgi HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        "GET /cgi-bin/status.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /cgi-bin/away.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /cgi-bin/nohdr.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /cgi-bin/app.py?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ];

    private readonly TempDir _dir = new();
    private BackendProcess? _fcgiwrap;

    [Fact]
    public void SameScripts_SameStatusAndBody_AsNginxWithFcgiwrap()
    {
        TestUsers.Ensure();
        var html = _dir.Dir("html");
        _dir.Dir("html/cgi-bin");
        File.Copy(Path.Combine(RepoPaths.Seed, "hello.cgi"), Path.Combine(html, "cgi-bin/hello.cgi"));
        foreach (var (name, text) in Scripts)
        {
            _dir.File("html/cgi-bin/" + name, text);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(html, "cgi-bin")))
        {
            File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
        }

        _fcgiwrap = Backends.StartFcgiWrapAs(_dir.Dir("fcgiwrap"), TestUsers.Cgi);
        var socket = _fcgiwrap.Socket;
        using var nginx = ServerProcess.Start(ServerFlavor.Nginx, _dir.Dir("nginx"), port => $$"""
            events {}
            http {
                access_log off;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{html}};
                    location /cgi-bin/ {
                        include /etc/nginx/fastcgi_params;
                        fastcgi_split_path_info ^(/cgi-bin/[^/]+)(/.*)$;
                        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
                        fastcgi_param SCRIPT_NAME $fastcgi_script_name;
                        fastcgi_param PATH_INFO $fastcgi_path_info;
                        fastcgi_param HTTP_PROXY "";
                        fastcgi_pass unix:{{socket}};
                    }
                }
            }
            """);
        using var lite = ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), port => $$"""
            events {}
            http {
                access_log off;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{html}};
                    location /cgi-bin/ { cgi on; cgi_user {{TestUsers.Cgi}}; }
                }
            }
            """);

        var differences = new List<string>();
        foreach (var request in Requests)
        {
            var expected = RawHttpClient.Send(nginx.Port, Encoding.ASCII.GetBytes(request), false, TimeSpan.FromSeconds(10));
            var actual = RawHttpClient.Send(lite.Port, Encoding.ASCII.GetBytes(request), false, TimeSpan.FromSeconds(10));
            var e = Normalise(expected.Body);
            var a = Normalise(actual.Body);
            if (expected.Status != actual.Status || e != a)
            {
                differences.Add($"{request.Split("\r\n")[0]}\n  nginx+fcgiwrap: {expected.Status} {e}\n  nginxlite:      {actual.Status} {a}");
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences) + "\n--- nginxlite error log:\n" + File.ReadAllText(lite.ErrorLog));
        Assert.Contains("Hello, CGI!", Encoding.UTF8.GetString(RawHttpClient.Send(lite.Port, Encoding.ASCII.GetBytes(Requests[0]), false, TimeSpan.FromSeconds(10)).Body));

        // Intentional differences (docs/cgi.md): a script that exits with no output is 502 for both, but fcgiwrap
        // writes its own text where nginxlite shows the error page; a missing script is fcgiwrap's 403, nginxlite's 404
        // (nginx's answer for a missing file).
        var fail = "GET /cgi-bin/fail.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray();
        Assert.Equal(502, RawHttpClient.Send(nginx.Port, fail, false, TimeSpan.FromSeconds(10)).Status);
        Assert.Equal(502, RawHttpClient.Send(lite.Port, fail, false, TimeSpan.FromSeconds(10)).Status);
        var missing = "GET /cgi-bin/missing.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray();
        Assert.Equal(403, RawHttpClient.Send(nginx.Port, missing, false, TimeSpan.FromSeconds(10)).Status);
        Assert.Equal(404, RawHttpClient.Send(lite.Port, missing, false, TimeSpan.FromSeconds(10)).Status);
    }

    private static string Normalise(byte[] body) =>
        System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(body), @"<center>nginx(lite)?(/[0-9.]+)?</center>", "<center>SERVER</center>");

    public void Dispose()
    {
        _fcgiwrap?.Dispose(); // by the PID it started
        _dir.Dispose();
    }
}
