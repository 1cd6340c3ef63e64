using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// The harness checked against itself: the whole table, nginx against a second nginx with the same config and
/// files, must show no difference (so every normalisation the comparer does is needed and sufficient), and the
/// table must be as broad as issue 3 asks.
/// </summary>
public sealed class HttpDifferentialSelfCheckTests(NginxPair pair) : IClassFixture<NginxPair>
{
    public static TheoryData<string> Requests() => HttpDifferentialTests.Requests();

    [Theory]
    [MemberData(nameof(Requests))]
    public void SecondNginx_Request_SameResponseAsNginx(string request) => pair.AssertSameResponse(request);

    [Fact]
    public void IntentionalDifferences_HttpRows_NameExistingRequestsWithKnownFields()
    {
        foreach (var name in NginxLite.TestSupport.IntentionalDifferences.HttpRequestNames)
        {
            Assert.True(RequestTable.All.ContainsKey(name), $"docs/intentional-differences.tsv: http:{name} names no request of the table");
            Assert.All(NginxLite.TestSupport.IntentionalDifferences.ForRequest(name)!.Keys, k => Assert.Contains(k, new[] { "status", "location", "content-type" }));
        }
    }

    [Fact]
    public void RequestTable_Breadth_CoversMethodsPathsHostsConditionalsRanges()
    {
        var cases = RequestTable.All.Values.ToList();

        Assert.InRange(cases.Count, 300, 1000);
        foreach (var method in new[] { "GET", "HEAD", "POST", "PUT", "OPTIONS" })
        {
            Assert.Contains(cases, c => c.Method == method);
        }

        Assert.Contains(cases, c => c.Host is null);
        Assert.Contains(cases, c => c.Target.Contains("%2e%2e", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cases, c => c.Target.Contains("/../", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Target.Contains("//", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Target.Contains("/./", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Target.Length > 8192);
        Assert.Contains(cases, c => c.Target.Any(ch => ch > 127));
        Assert.Contains(cases, c => c.Headers?.Any(h => h.StartsWith("If-None-Match: {etag}", StringComparison.Ordinal)) == true);
        Assert.Contains(cases, c => c.Headers?.Any(h => h.StartsWith("If-Modified-Since: {last-modified}", StringComparison.Ordinal)) == true);
        Assert.Contains(cases, c => c.Headers?.Any(h => h.StartsWith("Range: bytes=0-0,", StringComparison.Ordinal)) == true);
    }
}
