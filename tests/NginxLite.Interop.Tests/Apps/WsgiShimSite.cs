using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// The Python shim running Apps/wsgi_test_app.py (validator-wrapped <c>application</c>, and the unwrapped
/// <c>unchecked</c> mounted at /raw) with 4 threads, behind a real nginx <c>uwsgi_pass</c>. Shared by the tests of
/// one class (xunit class fixture); each test class that needs a fresh process starts its own.
/// </summary>
public sealed class WsgiShimSite : IDisposable
{
    public WsgiShimSite()
    {
        Dir = new TempDir("nginxlite-wsgi-shim-");
        try
        {
            Shim = ShimProcess.StartWsgi(Path.Combine(Dir.Path, "app.sock"), Dir.Path,
                "--chdir", Path.GetDirectoryName(ShimPaths.TestApp("wsgi_test_app.py"))!,
                "--module", "wsgi_test_app", "--mount", "/raw=wsgi_test_app:unchecked", "--threads", "4");
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
