using System.Net.Sockets;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>Misbehaving upstreams (one per fault, for FastCGI and for uwsgi), a bound socket nobody listens on, a
/// missing socket, and nginx and nginxlite in front of them with 1 s timeouts.</summary>
public sealed class FaultSite : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly int _closedPort = Support.FreePort.Next(); // free a moment ago: nobody listens there

    public FaultSite()
    {
        Dir = new TempDir("nginxlite-faults-");
        try
        {
            foreach (var fault in Enum.GetValues<Fault>())
            {
                _owned.Add(new FakeUpstream(Dir, $"fcgi-{fault}.sock", fault, fastCgi: true));
                _owned.Add(new FakeUpstream(Dir, $"uwsgi-{fault}.sock", fault, fastCgi: false));
            }

            var refused = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            refused.Bind(new UnixDomainSocketEndPoint(Path.Combine(Dir.Path, "refused.sock")));
            _owned.Add(refused);
            Pair = new UpstreamPair(Dir, Config);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TempDir Dir { get; }

    public UpstreamPair? Pair { get; }

    private string Config(int port)
    {
        var locations = new System.Text.StringBuilder();
        foreach (var fault in Enum.GetValues<Fault>())
        {
            locations.AppendLine($"        location /fastcgi/{fault} {{ fastcgi_pass unix:{Dir.Path}/fcgi-{fault}.sock; include {RepoPaths.Conf}/fastcgi_params; }}");
            locations.AppendLine($"        location /uwsgi/{fault} {{ uwsgi_pass unix:{Dir.Path}/uwsgi-{fault}.sock; include {RepoPaths.Conf}/uwsgi_params; }}");
        }

        return UpstreamConfig.Http($$"""
                fastcgi_read_timeout 1s;
                fastcgi_send_timeout 1s;
                uwsgi_read_timeout 1s;
                uwsgi_send_timeout 1s;
                server {
                    listen 127.0.0.1:{{port}};
                    server_name localhost;
            {{locations}}
                    location /fastcgi/refused { fastcgi_pass unix:{{Dir.Path}}/refused.sock; }
                    location /fastcgi/missing { fastcgi_pass unix:{{Dir.Path}}/missing.sock; }
                    location /fastcgi/tcp-refused { fastcgi_pass 127.0.0.1:{{_closedPort}}; }
                    location /uwsgi/refused { uwsgi_pass unix:{{Dir.Path}}/refused.sock; }
                    location /uwsgi/missing { uwsgi_pass unix:{{Dir.Path}}/missing.sock; }
                    location /fallback/ { fastcgi_pass unix:{{Dir.Path}}/missing.sock; error_page 502 = @down; }
                    location @down { return 200 "fallback\n"; }
                }
            """);
    }

    public void Dispose()
    {
        Pair?.Dispose();
        foreach (var d in _owned)
        {
            d.Dispose();
        }

        Dir.Dispose();
    }
}
