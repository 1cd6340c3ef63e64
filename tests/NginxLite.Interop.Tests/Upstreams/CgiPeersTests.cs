using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// fastcgi_pass / uwsgi_pass to an <c>upstream {}</c> group whose first peer is dead (a Unix socket nobody listens on,
/// a missing one, a refused TCP port): nginx and nginxlite answer the same statuses through next_upstream, mark the
/// dead peer failed, and write the same error-log line, <c>upstream: "fastcgi://unix:/…:"</c> part included.
/// </summary>
public sealed class CgiPeersTests(CgiPeersSite site) : IClassFixture<CgiPeersSite>
{
    [Theory]
    [InlineData("/fcgi-refused/hello.php", "fcgi_refused")]
    [InlineData("/fcgi-missing/hello.php", "fcgi_missing")]
    [InlineData("/uwsgi-tcp/hello", "uwsgi_tcp")]
    public void DeadFirstPeer_NextUpstreamAnswers_SameStatusesAndLogLineAsNginx(string path, string group)
    {
        var pair = site.Pair!;
        var nginx = Run(pair.Nginx!, path);
        var lite = Run(pair.NginxLite, path);
        Assert.Equal([200, 200, 200, 200], nginx.Statuses);
        Assert.Equal(nginx.Statuses, lite.Statuses);

        // One connect() failure (the dead peer is then skipped for fail_timeout), with nginx's upstream part.
        Assert.Single(nginx.Lines);
        Assert.Equal(nginx.Lines, lite.Lines);
        var expected = group switch
        {
            "fcgi_refused" => $"[error] connect() to unix:{site.Refused} failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: localhost, request: \"GET {path} HTTP/1.1\", upstream: \"fastcgi://unix:{site.Refused}:\", host: \"localhost\"",
            "fcgi_missing" => $"[crit] connect() to unix:{site.Missing} failed (2: No such file or directory) while connecting to upstream, client: 127.0.0.1, server: localhost, request: \"GET {path} HTTP/1.1\", upstream: \"fastcgi://unix:{site.Missing}:\", host: \"localhost\"",
            _ => $"[error] connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: localhost, request: \"GET {path} HTTP/1.1\", upstream: \"uwsgi://127.0.0.1:{site.DeadPort}\", host: \"localhost\"",
        };
        Assert.Equal(expected, lite.Lines[0]);
    }

    [Fact]
    public void NextUpstreamOff_FirstRequest502_ThenDeadPeerSkipped_AsNginx()
    {
        var pair = site.Pair!;
        var nginx = Run(pair.Nginx!, "/fcgi-off/hello.php");
        var lite = Run(pair.NginxLite, "/fcgi-off/hello.php");
        Assert.Equal([502, 200, 200, 200], nginx.Statuses);
        Assert.Equal(nginx.Statuses, lite.Statuses);
        Assert.Equal(nginx.Lines, lite.Lines);
    }

    [Fact]
    public void KeepConn_WithKeepaliveGroup_AnswersLikeNginx()
    {
        var pair = site.Pair!;
        foreach (var path in new[] { "/fcgi-keep/hello.php", "/fcgi-keep/dump.php?a=1", "/fcgi-keep/hello.php", "/fcgi-keep/status.php?code=404" })
        {
            var r = pair.Both(path, port => UpstreamClient.Get(port, path));
            Assert.NotEqual(502, r.Status);
        }

        var body = UpstreamClient.Body(40_000);
        for (var i = 0; i < 3; i++)
        {
            var r = pair.Both("post " + i, port => UpstreamClient.Post(port, "/fcgi-keep/dump.php", body, chunked: i == 1));
            Assert.Equal(200, r.Status);
            Assert.Equal(UpstreamClient.Md5(body), UpstreamClient.Params(r).GetValueOrDefault("BODY_MD5"));
        }

        Assert.DoesNotContain(File.Exists(pair.NginxLite.ErrorLog) ? File.ReadAllLines(pair.NginxLite.ErrorLog) : [], l => l.Contains("/fcgi-keep/", StringComparison.Ordinal));
    }

    [Fact]
    public void KeepConn_WithKeepaliveGroup_HoldsAnIdleConnection()
    {
        // After requests through the keepalive group each server holds one idle connection (keepalive 1), and the
        // php-fpm child on it waits for the next request: php-fpm's full status shows it "Reading headers".
        foreach (var server in new[] { site.Pair!.Nginx!, site.Pair.NginxLite })
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(200, UpstreamClient.Get(server.Port, "/fcgi-keep/hello.php").Status);
            }
        }

        var status = UpstreamClient.Get(site.Pair.NginxLite.Port, "/fpm-status?full");
        Assert.Equal(200, status.Status);
        var text = System.Text.Encoding.ASCII.GetString(status.Body);
        Assert.True(Regex.Matches(text, @"state:\s+Reading headers").Count == 2, text);
    }

    private sealed record Result(List<int> Statuses, List<string> Lines);

    /// <summary>Four requests in a row; their statuses and the full error-log lines they caused (port normalized).</summary>
    private static Result Run(ServerProcess server, string path)
    {
        var before = File.Exists(server.ErrorLog) ? File.ReadAllLines(server.ErrorLog).Length : 0;
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var r = UpstreamClient.Get(server.Port, path);
            Assert.True(r.Error is null, $"{server.Flavor} {path}: {r.Error}\n{server.Describe()}");
            statuses.Add(r.Status);
        }

        var clock = Stopwatch.StartNew();
        List<string> lines;
        do
        {
            Thread.Sleep(100);
            lines = [.. File.ReadAllLines(server.ErrorLog).Skip(before)
                .Select(l => Regex.Match(l, @"^\S+ \S+ (\[\w+\]) \d+#\d+: (?:\*\d+ )?(.*)$"))
                .Where(m => m.Success)
                .Select(m => m.Groups[1].Value + " " + m.Groups[2].Value)];
        }
        while (lines.Count == 0 && clock.Elapsed < TimeSpan.FromSeconds(1));

        return new(statuses, lines);
    }
}

/// <summary>php-fpm and uWSGI, each listed after a dead peer in an upstream group, behind nginx and nginxlite.</summary>
public sealed class CgiPeersSite : IDisposable
{
    private readonly Socket _dead;

    public CgiPeersSite()
    {
        Dir = new TempDir("nginxlite-cgipeers-");
        Www = Dir.Dir("www");
        Backends.WritePhpScripts(Www);
        Refused = Path.Combine(Dir.Path, "refused.sock");
        Missing = Path.Combine(Dir.Path, "missing.sock");
        // Bound but never listening: connect() gets ECONNREFUSED (.NET removes the file when the socket is disposed).
        _dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _dead.Bind(new UnixDomainSocketEndPoint(Refused));

        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            DeadPort = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        var app = Dir.File("echo_app.py", Backends.EchoWsgi);
        try
        {
            // An idle keepalive connection holds a php-fpm child: room for both servers' caches and the other requests.
            Fpm = Backends.StartPhpFpm(Dir, children: 6, poolExtra: "pm.status_path = /fpm-status");
            Uwsgi = Backends.StartUwsgi(Dir, app);
            Pair = new UpstreamPair(Dir, Config);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TempDir Dir { get; }

    public string Www { get; }

    public string Refused { get; }

    public string Missing { get; }

    public int DeadPort { get; }

    public BackendProcess? Fpm { get; }

    public BackendProcess? Uwsgi { get; }

    public UpstreamPair? Pair { get; }

    public string Config(int port) => UpstreamConfig.Http($$"""

            upstream fcgi_refused { server unix:{{Refused}}; server unix:{{Fpm!.Socket}}; }
            upstream fcgi_missing { server unix:{{Missing}}; server unix:{{Fpm!.Socket}}; }
            upstream fcgi_off { server unix:{{Refused}}; server unix:{{Fpm!.Socket}}; }
            upstream fcgi_keep { server unix:{{Fpm!.Socket}}; keepalive 1; }
            upstream uwsgi_tcp { server 127.0.0.1:{{DeadPort}}; server unix:{{Uwsgi!.Socket}}; }

            server {
                listen 127.0.0.1:{{port}};
                server_name localhost;
                root {{Www}};

                location ^~ /fcgi-refused/ {
                    rewrite ^/fcgi-refused(/.*)$ $1 break;
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_pass fcgi_refused;
                }

                location ^~ /fcgi-missing/ {
                    rewrite ^/fcgi-missing(/.*)$ $1 break;
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_pass fcgi_missing;
                }

                location ^~ /fcgi-off/ {
                    rewrite ^/fcgi-off(/.*)$ $1 break;
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_pass fcgi_off;
                    fastcgi_next_upstream off;
                }

                location ^~ /fcgi-keep/ {
                    rewrite ^/fcgi-keep(/.*)$ $1 break;
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_pass fcgi_keep;
                    fastcgi_keep_conn on;
                }

                location = /fpm-status {
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_pass unix:{{Fpm!.Socket}};
                }

                location /uwsgi-tcp/ {
                    include {{RepoPaths.Conf}}/uwsgi_params;
                    uwsgi_pass uwsgi_tcp;
                }
            }
        """);

    public void Dispose()
    {
        Pair?.Dispose();
        Uwsgi?.Dispose();
        Fpm?.Dispose();
        _dead.Dispose();
        Dir.Dispose();
    }
}
