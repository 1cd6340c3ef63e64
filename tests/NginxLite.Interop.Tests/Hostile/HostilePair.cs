using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// Debian's nginx and nginxlite serving the same <see cref="HostileSite"/> config, each in front of its own pair of
/// capture upstreams (HTTP for proxy_pass, uwsgi for uwsgi_pass), so what each server forwarded is its own record.
/// Started once per test class.
/// </summary>
public sealed class HostilePair : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public HostilePair()
    {
        try
        {
            Site = Own(new HostileSite());
            NginxLite = Start(ServerFlavor.NginxLite);
            Nginx = Start(ServerFlavor.Nginx);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public HostileSite Site { get; }

    public Side NginxLite { get; }

    public Side Nginx { get; }

    private Side Start(ServerFlavor flavor)
    {
        var http = Own(new CaptureUpstream());
        var uwsgi = Own(new CaptureUpstream());
        var server = Own(ServerProcess.Start(flavor, Site.NewPrefix(flavor.Name), port => Site.Config(port, http.Port, uwsgi.Port)));
        return new Side(server, http, uwsgi);
    }

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    /// <summary>One server and the upstreams it forwards to.</summary>
    public sealed record Side(ServerProcess Server, CaptureUpstream Http, CaptureUpstream Uwsgi)
    {
        public int Port => Server.Port;
    }
}
