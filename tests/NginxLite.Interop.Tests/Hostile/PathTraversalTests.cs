using System.Collections.Concurrent;
using Xunit;
using Xunit.Abstractions;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// Path traversal against a running nginxlite: hundreds of generated request targets (<see cref="TraversalUris"/>),
/// none of which may return a byte of the secret kept beside the root and the alias directory; and each answered with
/// the status real nginx gives the same bytes under the same config.
/// </summary>
public sealed class PathTraversalTests(HostilePair pair, ITestOutputHelper output) : IClassFixture<HostilePair>
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    [Fact]
    public void Traversal_EveryEncoding_NeverReturnsTheSecretAndMatchesNginx()
    {
        var uris = TraversalUris.All(pair.Site.Root).ToList();
        var results = Run(uris);
        Report(uris, results);
    }

    [Fact]
    public void Traversal_NonOriginFormTargets_NeverReturnTheSecretAndMatchNginx()
    {
        var uris = TraversalUris.OddTargets(pair.Site.Root).Distinct().ToList();
        var results = Run(uris);
        Report(uris, results);
    }

    [Fact]
    public void Traversal_Sanity_TheSiteServesItsOwnFilesThroughRootAndAlias()
    {
        // Without this, a server answering 404 to everything would pass the traversal tests.
        foreach (var uri in new[] { "/index.html", "/sub/page.html", "/i/pic.txt", "/i/sub/pic.txt" })
        {
            var got = Get(pair.NginxLite.Port, uri);
            Assert.True(got.Status == 200, $"{uri}: {got.Describe()}");
        }
    }

    private Dictionary<string, (RawExchange Lite, RawExchange Nginx)> Run(List<string> uris)
    {
        var lite = new ConcurrentDictionary<string, RawExchange>();
        var nginx = new ConcurrentDictionary<string, RawExchange>();
        Parallel.Invoke(
            () => uris.ForEach(u => lite[u] = Get(pair.NginxLite.Port, u)),
            () => uris.ForEach(u => nginx[u] = Get(pair.Nginx.Port, u)));
        return uris.ToDictionary(u => u, u => (lite[u], nginx[u]));
    }

    private void Report(List<string> uris, Dictionary<string, (RawExchange Lite, RawExchange Nginx)> results)
    {
        var secret = pair.Site.Secret;
        var leaks = uris.Where(u => results[u].Lite.Contains(secret)).ToList();
        var nginxLeaks = uris.Where(u => results[u].Nginx.Contains(secret)).ToList();
        var differ = uris.Where(u => results[u].Lite.Status != results[u].Nginx.Status).ToList();
        var noAnswer = uris.Where(u => results[u].Lite.Status == 0).ToList();
        var byStatus = uris.GroupBy(u => results[u].Lite.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        output.WriteLine($"{uris.Count} request targets; nginxlite statuses: {string.Join(", ", byStatus)}");
        output.WriteLine($"secret returned: nginxlite {leaks.Count}, nginx {nginxLeaks.Count}; status differs from nginx: {differ.Count}");
        foreach (var u in differ.Take(40))
        {
            output.WriteLine($"  {u}: nginx {results[u].Nginx.Status}, nginxlite {results[u].Lite.Status}");
        }

        Assert.True(leaks.Count == 0, "secret returned for:\n" + string.Join('\n', leaks.Take(20).Select(u => $"  {u}: {results[u].Lite.Describe()}")));
        Assert.True(noAnswer.Count == 0, "no response for:\n" + string.Join('\n', noAnswer.Take(20).Select(u => $"  {u}: {results[u].Lite.Describe()}")));
        Assert.True(differ.Count == 0, "status differs from nginx for:\n" + string.Join('\n', differ.Take(40).Select(u =>
            $"  {u}: nginx {results[u].Nginx.Status}, nginxlite {results[u].Lite.Describe()}")));
    }

    internal static RawExchange Get(int port, string target) =>
        RawExchange.Run(port, HostileSite.Bytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), Idle);
}
