using System.Collections.Concurrent;
using NginxLite.Routing;
using NginxLite.Routing.Apps;
using NginxLite.TestSupport;

namespace NginxLite.Apps.Tests;

/// <summary>A temp dir with a small WSGI app (/ says its pid, /sleep sleeps, /boom raises, /rss grows) and a log of what the
/// supervisor wrote.</summary>
internal sealed class PoolFixture : IDisposable
{
    public const string App = """
        import os, time

        _hog = []

        def application(environ, start_response):
            path = environ["PATH_INFO"]
            if path == "/sleep":
                time.sleep(30)
            if path == "/boom":
                raise RuntimeError("the app raised")
            if path == "/rss":
                _hog.append(bytearray(32 * 1024 * 1024))
            body = ("pid=%d uid=%d" % (os.getpid(), os.getuid())).encode()
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        """;

    public PoolFixture()
    {
        Dir.File("testapp.py", App);
        Dir.File("broken.py", "import no_such_module_here\n");
    }

    public TempDir Dir { get; } = new("nginxlite-apps-test-");

    public ConcurrentQueue<(ErrorLevel Level, string Message)> Log { get; } = new();

    public AppLogWriter Writer => (level, message) => Log.Enqueue((level, message));

    public string LogText => string.Join("\n", Log.Select(l => $"[{l.Level}] {l.Message}"));

    public AppSettings Settings(string module = "testapp", int processes = 1) =>
        new("t") { Module = module, Chdir = Dir.Path, Processes = processes };

    public void Dispose() => Dir.Dispose();
}
