using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.AccelRedirect;

/// <summary>Two backend nginx servers (A answers "first" with X-Accel-Redirect: $arg_xar, B answers "second"), a refused
/// port R, and nginx and nginxlite in front logging the $upstream_* variables.</summary>
public sealed class UpstreamPhasesPair : OwnedFixture
{
    private readonly int _refused = FreePort.Next();
    private readonly ServerProcess? _a;
    private readonly ServerProcess? _b;

    public UpstreamPhasesPair()
        : base("nginxlite-phases-")
    {
        try
        {
            Temp.File("www/static.txt", "static\n");
            _a = Own(NginxBackend.Answering(Temp.Dir("a"), """add_header X-Accel-Redirect $arg_xar; return 200 "first\n";"""));
            _b = Own(NginxBackend.Answering(Temp.Dir("b"), """return 200 "second\n";"""));
            Pair = Own(new UpstreamPair(Temp, port => $$"""
                worker_processes 1;
                error_log logs/error.log;
                pid logs/server.pid;
                events { worker_connections 64; }
                http {
                    log_format phases "$request_uri $upstream_addr|$upstream_status|$upstream_response_length|$upstream_response_time|$upstream_connect_time|$upstream_header_time";
                    access_log logs/phases.log phases;
                    server_tokens off;
                    default_type text/plain;
                    upstream retry { server 127.0.0.1:{{_refused}}; server 127.0.0.1:{{_a.Port}}; }
                    upstream down { server 127.0.0.1:{{_refused}} down; }
                    upstream flaky { server 127.0.0.1:{{_refused}} max_fails=1 fail_timeout=300s; server 127.0.0.1:{{_refused}} max_fails=1 fail_timeout=300s; }
                    server {
                        listen 127.0.0.1:{{port}};
                        server_name localhost;
                        root {{Temp.Path}}/www;
                        location /first/ { proxy_pass http://127.0.0.1:{{_a.Port}}/x; }
                        location /retry/ { proxy_pass http://retry/x; }
                        location /fail/ { proxy_pass http://127.0.0.1:{{_refused}}; error_page 502 = /second/e; }
                        location /down/ { proxy_pass http://down/x; error_page 502 = /second/d; }
                        location /flaky/ { proxy_pass http://flaky/x; error_page 502 = /second/f; }
                        location /second/ { internal; proxy_pass http://127.0.0.1:{{_b.Port}}/y; }
                    }
                }
                """));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public UpstreamPair Pair { get; } = null!;

    /// <summary>The backends' addresses as A, B and R, so the expected lines read the same in every run.</summary>
    public string Mask(string line) => line
        .Replace($"127.0.0.1:{_a!.Port}", "A", StringComparison.Ordinal)
        .Replace($"127.0.0.1:{_b!.Port}", "B", StringComparison.Ordinal)
        .Replace($"127.0.0.1:{_refused}", "R", StringComparison.Ordinal);
}
