using System.Net;
using System.Net.Sockets;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;

namespace NginxLite.Interop.Tests.Upstreams.NoLive;

/// <summary>
/// Three backend nginx servers (L answers 200 "live", B 502 "bad", S 503 "busy"), one socket server that never answers
/// (H), three dead TCP ports (D1, D2, D3: bound and never listening, so a connect is refused and no other process can
/// take the port), and nginx and nginxlite in front with one upstream group per scenario (proxy_pass; fastcgi_pass and
/// uwsgi_pass share the peer API and its "no live upstreams"), logging $upstream_addr|$upstream_status|
/// $upstream_response_length and warnings. Every server has max_fails=1 fail_timeout=60s, so a scenario's requests
/// see the marks of the ones before them (each front end keeps its own).
/// </summary>
public sealed class NoLiveUpstreamsSite : OwnedFixture
{
    private readonly Socket _d1;
    private readonly Socket _d2;
    private readonly Socket _d3;
    private readonly ServerProcess? _live;
    private readonly ServerProcess? _bad;
    private readonly ServerProcess? _busy;
    private readonly FaultUpstream? _hang;

    public NoLiveUpstreamsSite()
        : base("nginxlite-nolive-")
    {
        _d1 = Own(DeadPort());
        _d2 = Own(DeadPort());
        _d3 = Own(DeadPort());
        try
        {
            _live = Own(NginxBackend.Answering(Temp.Dir("live"), """return 200 "live\n";"""));
            _bad = Own(NginxBackend.Answering(Temp.Dir("bad"), """return 502 "bad\n";"""));
            _busy = Own(NginxBackend.Answering(Temp.Dir("busy"), """return 503 "busy\n";"""));
            _hang = Own(new FaultUpstream(FaultUpstream.Fault.Hang));
            Pair = Own(new UpstreamPair(Temp, Config));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public UpstreamPair Pair { get; } = null!;

    /// <summary>The backends' addresses as D1, D2, D3, L, B and S, so expected lines read the same in every run.</summary>
    public string Mask(string line) => line
        .Replace(Address(_d1), "D1", StringComparison.Ordinal)
        .Replace(Address(_d2), "D2", StringComparison.Ordinal)
        .Replace(Address(_d3), "D3", StringComparison.Ordinal)
        .Replace($"127.0.0.1:{_live!.Port}", "L", StringComparison.Ordinal)
        .Replace($"127.0.0.1:{_bad!.Port}", "B", StringComparison.Ordinal)
        .Replace($"127.0.0.1:{_busy!.Port}", "S", StringComparison.Ordinal)
        .Replace($"127.0.0.1:{_hang!.Port}", "H", StringComparison.Ordinal);

    private static string Address(Socket s) => "127.0.0.1:" + ((IPEndPoint)s.LocalEndPoint!).Port;

    private static Socket DeadPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // no listen(): connect() gets ECONNREFUSED
        return socket;
    }

    private string Config(int port)
    {
        const string Marks = "max_fails=1 fail_timeout=60s";
        string d1 = Address(_d1), d2 = Address(_d2), d3 = Address(_d3);
        string l = $"127.0.0.1:{_live!.Port}", b = $"127.0.0.1:{_bad!.Port}", s = $"127.0.0.1:{_busy!.Port}", h = $"127.0.0.1:{_hang!.Port}";
        return $$"""
            worker_processes 1;
            error_log logs/error.log warn;
            pid logs/server.pid;
            events { worker_connections 64; }
            http {
                log_format up "$request_uri $status $upstream_addr|$upstream_status|$upstream_response_length";
                access_log logs/up.log up;
                server_tokens off;
                default_type text/plain;
                upstream dead2 { server {{d1}} {{Marks}}; server {{d2}} {{Marks}}; }
                upstream x { server {{d1}} {{Marks}}; server {{d2}} {{Marks}}; }
                upstream z { server {{s}} {{Marks}}; server {{d1}} {{Marks}}; }
                upstream w { server {{d1}} {{Marks}}; server {{d3}} {{Marks}} backup; }
                upstream down { server {{d1}} {{Marks}}; server {{d2}} {{Marks}} down; }
                upstream t1 { server {{d1}} {{Marks}}; server {{l}} {{Marks}}; }
                upstream t0 { server {{d1}} {{Marks}}; server {{l}} {{Marks}}; }
                upstream lb { server {{d1}} {{Marks}}; server {{l}} {{Marks}} backup; }
                upstream one { server {{d3}} {{Marks}}; }
                upstream bad { server {{b}} {{Marks}}; server {{d1}} {{Marks}}; }
                upstream bad2 { server {{d1}} {{Marks}}; server {{b}} {{Marks}}; }
                upstream tries5 { server {{d1}} {{Marks}}; server {{d2}} {{Marks}}; }
                upstream mf3 { server {{d1}} max_fails=3 fail_timeout=60s; server {{l}} max_fails=3 fail_timeout=60s; }
                upstream hx { server {{d1}} {{Marks}}; server {{h}} {{Marks}}; }
                upstream fx { server {{d1}} {{Marks}}; server {{d2}} {{Marks}}; }
                upstream ux { server {{d1}} {{Marks}}; server {{d2}} {{Marks}}; }
                server {
                    listen 127.0.0.1:{{port}};
                    server_name localhost;
                    proxy_next_upstream error timeout http_502 http_503;
                    location /dead2/ { proxy_pass http://dead2; }
                    location /xoff/ { proxy_pass http://x; proxy_next_upstream off; }
                    location /xon/ { proxy_pass http://x; }
                    location /zoff/ { proxy_pass http://z; proxy_next_upstream off; }
                    location /zon/ { proxy_pass http://z; }
                    location /woff/ { proxy_pass http://w; proxy_next_upstream off; }
                    location /won/ { proxy_pass http://w; }
                    location /down/ { proxy_pass http://down; }
                    location /t1/ { proxy_pass http://t1; proxy_next_upstream_tries 1; }
                    location /t0/ { proxy_pass http://t0; proxy_next_upstream_tries 0; }
                    location /lb/ { proxy_pass http://lb; }
                    location /single/ { proxy_pass http://{{d2}}; }
                    location /one/ { proxy_pass http://one; }
                    location /bad/ { proxy_pass http://bad; }
                    location /bad2/ { proxy_pass http://bad2; }
                    location /tries5/ { proxy_pass http://tries5; proxy_next_upstream_tries 5; }
                    location /mf3/ { proxy_pass http://mf3; }
                    location /hxoff/ { proxy_pass http://hx; proxy_next_upstream off; }
                    location /hxon/ { proxy_pass http://hx; proxy_read_timeout 1s; }
                    location /fxoff/ { fastcgi_pass fx; fastcgi_next_upstream off; }
                    location /fxon/ { fastcgi_pass fx; }
                    location /uxoff/ { uwsgi_pass ux; uwsgi_next_upstream off; }
                    location /uxon/ { uwsgi_pass ux; }
                }
            }
            """;
    }
}
