using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>The Ruby shim running Apps/rack_test_app.ru (inside Rack::Lint) with 2 threads behind a real nginx
/// <c>uwsgi_pass</c>; an xunit class fixture.</summary>
public sealed class RackShimSite : IDisposable
{
    public RackShimSite()
    {
        Dir = new TempDir("nginxlite-rack-shim-");
        try
        {
            Shim = ShimProcess.StartRack(Path.Combine(Dir.Path, "app.sock"), Dir.Path,
                "--rackup", ShimPaths.TestApp("rack_test_app.ru"), "--threads", "2");
            Front = new NginxUwsgiFront(Dir, Shim.Socket);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TempDir Dir { get; }

    public ShimProcess? Shim { get; }

    public NginxUwsgiFront? Front { get; }

    public int Port => Front!.Port;

    public void Dispose()
    {
        Front?.Dispose();
        Shim?.Dispose();
        Dir.Dispose();
    }
}
