using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Upstreams;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// One WSGI app run twice, each behind its own real nginx with the same <c>uwsgi_pass</c> config: (a) under the
/// NginxLite shim, (b) under real uWSGI's python3 plugin. <see cref="Same"/> sends one request to both and asserts
/// the same status, the headers that matter and the same body: the differential test of the shim.
/// </summary>
public sealed class WsgiReferencePair : IDisposable
{
    /// <summary>Headers compared (Date, Server and framing are nginx's own).</summary>
    public static readonly string[] ComparedHeaders = ["Content-Type", "Content-Length", "Set-Cookie", "Location"];

    private readonly List<IDisposable> _owned = [];

    public WsgiReferencePair(TempDir dir, string appDir, string module)
    {
        try
        {
            var shim = ShimProcess.StartWsgi(Path.Combine(dir.Path, "shim.sock"), dir.Path, "--chdir", appDir, "--module", module);
            _owned.Add(shim);
            Shim = shim;
            var uwsgiSocket = Path.Combine(dir.Path, "uwsgi.sock");
            var uwsgi = BackendProcess.Start(Backends.Uwsgi,
                ["--plugin", "python3", "--socket", uwsgiSocket, "--chmod-socket=660", "--chdir", appDir, "--pythonpath", appDir,
                 "--module", module, "--master", "--processes", "1", "--die-on-term", "--need-app", "--disable-logging"],
                uwsgiSocket, 2 /* SIGINT: uWSGI's immediate shutdown */, dir.Path);
            _owned.Add(uwsgi);
            Uwsgi = uwsgi;
            ShimFront = new NginxUwsgiFront(dir, shim.Socket, "nginx-shim");
            _owned.Add(ShimFront);
            UwsgiFront = new NginxUwsgiFront(dir, uwsgiSocket, "nginx-uwsgi");
            _owned.Add(UwsgiFront);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ShimProcess Shim { get; } = null!;

    public BackendProcess Uwsgi { get; } = null!;

    public NginxUwsgiFront ShimFront { get; } = null!;

    public NginxUwsgiFront UwsgiFront { get; } = null!;

    /// <summary>Sends <paramref name="send"/> through both fronts; asserts the same status, compared headers and body;
    /// returns the shim's response.</summary>
    public RawResponse Same(string name, Func<int, RawResponse> send)
    {
        var shim = send(ShimFront.Port);
        var reference = send(UwsgiFront.Port);
        var why = $"{name}:\n--- uWSGI\n{reference.Dump(2000)}\n--- shim\n{shim.Dump(2000)}\n--- shim stderr\n{Shim.Stderr}";
        Assert.True(shim.Error is null && reference.Error is null, "a request failed: " + why);
        Assert.True(reference.Status == shim.Status, "status differs: " + why);
        foreach (var header in ComparedHeaders)
        {
            Assert.True(string.Join(" | ", reference.HeaderValues(header)) == string.Join(" | ", shim.HeaderValues(header)), $"{header} differs: {why}");
        }

        // Allow as a set: Werkzeug lists a Python set, whose order changes with each process's hash seed.
        Assert.True(AllowSet(reference) == AllowSet(shim), "Allow differs: " + why);
        Assert.True(reference.Body.AsSpan().SequenceEqual(shim.Body), "body differs: " + why);
        return shim;
    }

    private static string AllowSet(Http.RawResponse r) =>
        string.Join(",", r.HeaderValues("Allow").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).Order(StringComparer.Ordinal));

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }

        _owned.Clear();
    }
}
