using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// fastcgi_next_upstream on a status, differential: nginx and nginxlite in front of the same two php-fpm pools (pool
/// "a" answers the status the query names, pool "b" 200), with the same sequence of requests each: the same statuses
/// and bodies, the same number of requests seen by each pool (the dropped response and max_fails marking included),
/// the same $upstream_addr / $upstream_status / $upstream_response_length and "-" times in the access log, and the
/// same error-log lines at warn level ("upstream server temporarily disabled while reading response header …").
/// </summary>
public sealed class CgiStatusNextUpstreamTests(CgiStatusSite site) : IClassFixture<CgiStatusSite>
{
    [Theory]
    [InlineData("/s503/pool.php?a=503")]          // a 503 → b; a then skipped (503 counts toward max_fails)
    [InlineData("/s404/pool.php?a=404")]          // a 404 → b; a still picked by round robin (not a failure)
    [InlineData("/all503/pool.php?a=503&b=503")]  // every peer 503: the last pool's own response, as it is
    [InlineData("/unlisted/pool.php?a=503")]      // 503 not listed: passed to the client
    [InlineData("/deadfirst/pool.php")]           // a refused socket, then b: connect failure in the variables
    public void StatusNextUpstream_SameResponsesCountsAndVariablesAsNginx(string path)
    {
        var nginx = Run(site.Pair!.Nginx!, path);
        var lite = Run(site.Pair.NginxLite, path);
        Assert.Equal(nginx.Responses, lite.Responses);
        Assert.Equal(nginx.Counts, lite.Counts);
        Assert.Equal(string.Join("\n", nginx.Log).Replace(site.Dir.Path, "DIR", StringComparison.Ordinal), string.Join("\n", lite.Log).Replace(site.Dir.Path, "DIR", StringComparison.Ordinal));
        Assert.True(nginx.Log.Count == 4, string.Join("\n", nginx.Log));
        Assert.Equal(string.Join("\n", nginx.Errors).Replace(site.Dir.Path, "DIR", StringComparison.Ordinal),
            string.Join("\n", lite.Errors).Replace(site.Dir.Path, "DIR", StringComparison.Ordinal));
    }

    private sealed record Result(List<string> Responses, (int A, int B) Counts, List<string> Log, List<string> Errors);

    /// <summary>Four requests in a row on <paramref name="server"/>: status and body of each, the requests each pool
    /// counted, and the access-log lines (times as T: only whether a time was set is compared).</summary>
    private Result Run(ServerProcess server, string path)
    {
        var before = (site.Count("a"), site.Count("b"));
        var errorsBefore = UpstreamPair.LogLines(server).Count;
        var responses = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var r = UpstreamClient.Get(server.Port, path + (path.Contains('?') ? "&n=" : "?n=") + i);
            Assert.True(r.Error is null, $"{server.Flavor} {path}: {r.Error}\n{server.Describe()}");
            responses.Add(r.Status + " " + System.Text.Encoding.Latin1.GetString(r.Body));
        }

        var log = Path.Combine(server.Prefix, "logs", "up.log");
        var prefix = path.Split('?')[0] + "?";
        var clock = Stopwatch.StartNew();
        List<string> lines;
        do
        {
            Thread.Sleep(50);
            lines = File.Exists(log)
                ? [.. File.ReadAllLines(log).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => Regex.Replace(l, @"\b\d+\.\d{3}\b", "T"))]
                : [];
        }
        while (lines.Count < 4 && clock.Elapsed < TimeSpan.FromSeconds(3));

        return new(responses, (site.Count("a") - before.Item1, site.Count("b") - before.Item2), lines, [.. UpstreamPair.LogLines(server).Skip(errorsBefore)]);
    }
}

/// <summary>php-fpm with two pools (a: php.sock, b: php-b.sock) that count their requests in files, a refused
/// socket, and nginx and nginxlite with one config.</summary>
public sealed class CgiStatusSite : IDisposable
{
    private readonly Socket _refused;

    public CgiStatusSite()
    {
        Dir = new TempDir("nginxlite-cgistatus-");
        Www = Dir.Dir("www");
        Counts = Dir.Dir("counts");
        File.WriteAllText(Path.Combine(Www, "pool.php"), """
            <?php
            // Counts the request in this pool's file, then answers the status the query names for this pool.
            $pool = getenv("POOL");
            file_put_contents(getenv("COUNT_DIR") . "/" . $pool, "x", FILE_APPEND | LOCK_EX);
            $code = (int)($_GET[$pool] ?? 200);
            http_response_code($code);
            header("Content-Type: text/plain");
            echo "pool ", $pool, " status ", $code, "\n";
            """);
        Refused = Path.Combine(Dir.Path, "refused.sock");
        _refused = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _refused.Bind(new UnixDomainSocketEndPoint(Refused)); // bound, never listening: ECONNREFUSED
        SocketB = Path.Combine(Dir.Path, "php-b.sock");
        try
        {
            Fpm = Backends.StartPhpFpm(Dir, poolExtra: $"""
                env[POOL] = a
                env[COUNT_DIR] = {Counts}
                [b]
                listen = {SocketB}
                listen.mode = 0666
                pm = static
                pm.max_children = 2
                clear_env = yes
                php_admin_value[enable_post_data_reading] = 0
                env[POOL] = b
                env[COUNT_DIR] = {Counts}
                """);
            var clock = Stopwatch.StartNew();
            while (!File.Exists(SocketB) && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(20);
            }

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

    public string Counts { get; }

    public string Refused { get; }

    public string SocketB { get; }

    public BackendProcess? Fpm { get; }

    public UpstreamPair? Pair { get; }

    /// <summary>Requests pool <paramref name="pool"/> has answered so far.</summary>
    public int Count(string pool)
    {
        var file = Path.Combine(Counts, pool);
        return File.Exists(file) ? (int)new FileInfo(file).Length : 0;
    }

    private string Location(string name, string group, string next) => $$"""
                location ^~ /{{name}}/ {
                    rewrite ^/{{name}}(/.*)$ $1 break;
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_pass {{group}};
                    fastcgi_next_upstream {{next}};
                }
        """;

    private string Config(int port) => $$"""
        worker_processes 1;
        error_log logs/error.log warn;
        pid logs/server.pid;
        events { worker_connections 512; }
        http {
            log_format up "$request_uri $upstream_addr|$upstream_status|$upstream_response_length|$upstream_connect_time|$upstream_header_time|$upstream_response_time";
            access_log logs/up.log up;
            server_tokens off;

            upstream s503 { server unix:{{Fpm!.Socket}}; server unix:{{SocketB}}; }
            upstream s404 { server unix:{{Fpm!.Socket}}; server unix:{{SocketB}}; }
            upstream all503 { server unix:{{Fpm!.Socket}} max_fails=0; server unix:{{SocketB}} max_fails=0; }
            upstream unlisted { server unix:{{Fpm!.Socket}}; server unix:{{SocketB}}; }
            upstream deadfirst { server unix:{{Refused}}; server unix:{{SocketB}}; }

            server {
                listen 127.0.0.1:{{port}};
                server_name localhost;
                root {{Www}};
        {{Location("s503", "s503", "error timeout http_503")}}
        {{Location("s404", "s404", "error http_404")}}
        {{Location("all503", "all503", "http_503")}}
        {{Location("unlisted", "unlisted", "error timeout http_500")}}
        {{Location("deadfirst", "deadfirst", "error timeout")}}
            }
        }
        """;

    public void Dispose()
    {
        Pair?.Dispose();
        Fpm?.Dispose();
        _refused.Dispose();
        Dir.Dispose();
    }
}
