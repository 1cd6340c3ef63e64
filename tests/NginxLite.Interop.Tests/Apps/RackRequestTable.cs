using NginxLite.Interop.Tests.Http;
using Xunit;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// The Rack differential requests (the seed config.ru and Apps/rack_plain.ru answer them all): sent to two fronts, they
/// must get the same status, the headers that matter and the same body. Used for the shim against uWSGI's rack plugin
/// (<see cref="RackDifferentialTests"/>) and for lazy_apps off against lazy (<c>RackLazyAppsOffInteropTests</c>).
/// </summary>
internal static class RackRequestTable
{
    /// <summary>A 3 MiB body (more than the shim's 64 KiB StringIO limit: streamed through Rack::RewindableInput).</summary>
    public static byte[] Upload()
    {
        var upload = new byte[3 * 1024 * 1024];
        new Random(9).NextBytes(upload);
        return upload;
    }

    public static void AssertSame(int portA, string nameA, int portB, string nameB)
    {
        var upload = Upload();
        Same(portA, nameA, portB, nameB, "GET /", p => AppHttp.Get(p, "/"));
        Same(portA, nameA, portB, nameB, "GET /missing", p => AppHttp.Get(p, "/missing?x=1"));
        Same(portA, nameA, portB, nameB, "HEAD /", p => AppHttp.Head(p, "/"));
        Same(portA, nameA, portB, nameB, "POST /echo small", p => AppHttp.Send(p, "POST", "/echo", "a=1&b=2"u8.ToArray(), "application/x-www-form-urlencoded"));
        Same(portA, nameA, portB, nameB, "POST /echo 3 MiB", p => AppHttp.Send(p, "POST", "/echo", upload, "application/octet-stream"));
        // Not POST /gets: uWSGI's rack plugin never ends rack.input#each at the end of the body (the request hangs
        // until uwsgi_read_timeout); RackShimTests checks the shim's gets/each.
        Same(portA, nameA, portB, nameB, "GET /stream", p => AppHttp.Get(p, "/stream"));
        Same(portA, nameA, portB, nameB, "GET /headers", p => AppHttp.Get(p, "/headers"));
        Same(portA, nameA, portB, nameB, "GET /redirect", p => AppHttp.Get(p, "/redirect"));
    }

    private static void Same(int portA, string nameA, int portB, string nameB, string request, Func<int, RawResponse> send)
    {
        var a = send(portA);
        var b = send(portB);
        var why = $"{request}:\n--- {nameB}\n{b.Dump(2000)}\n--- {nameA}\n{a.Dump(2000)}";
        Assert.True(a.Error is null && b.Error is null, "a request failed: " + why);
        Assert.True(a.Status == b.Status, "status differs: " + why);
        foreach (var header in WsgiReferencePair.ComparedHeaders.Append("X-Custom"))
        {
            Assert.True(string.Join(" | ", a.HeaderValues(header)) == string.Join(" | ", b.HeaderValues(header)), $"{header} differs: {why}");
        }

        Assert.True(a.Body.AsSpan().SequenceEqual(b.Body), "body differs: " + why);
    }
}
