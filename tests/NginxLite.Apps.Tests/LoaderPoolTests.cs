using NginxLite.Routing.Apps;

namespace NginxLite.Apps.Tests;

/// <summary>Every <see cref="ForkingPoolTests"/> case for a WSGI app: the Python shim's loader imports the module once
/// and forks the workers. Real python3 processes.</summary>
public sealed class LoaderPoolTests : ForkingPoolTests
{
    private const string CountingApp = """
        import os, time
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "loads.txt"), "a") as f:
            f.write("%d\n" % os.getpid())
        VERSION = "@VERSION@"

        def application(environ, start_response):
            if environ["PATH_INFO"] == "/sleep":
                time.sleep(30)
            body = ("pid=%d ppid=%d uid=%d %s" % (os.getpid(), os.getppid(), os.getuid(), VERSION)).encode()
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        """;

    private protected override string[] LoadErrorLines => ["ModuleNotFoundError: No module named 'no_such_module_here'"];

    private protected override AppSettings Forking(int processes = 2) => Fixture.Settings("counting", processes) with { LazyApps = false };

    private protected override void WriteApp(string version) =>
        Fixture.Dir.File("counting.py", CountingApp.Replace("@VERSION@", version, StringComparison.Ordinal));

    private protected override void WriteBrokenApp() => Fixture.Dir.File("counting.py", "import no_such_module_here\n");
}
