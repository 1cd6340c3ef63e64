using Xunit;
using Xunit.Sdk;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// The harness must see a difference where there is one: nginx against an nginx with a mutated config
/// (<see cref="MutantPair.Mutations"/>) fails exactly the affected rows, naming the field that differs.
/// </summary>
public sealed class HarnessMutantTests(MutantPair pair) : IClassFixture<MutantPair>
{
    [Theory]
    [InlineData("GET /hello", "body (normalised)")]
    [InlineData("GET /old", "Location:")]
    [InlineData("GET /teapot", "status:")]
    [InlineData("GET /static/logo.svg", "X-Loc:")]
    [InlineData("GET /dl/file.txt", "Content-Type:")]
    [InlineData("GET /moved/guide/page.html", "status:")]
    public void MutatedConfig_AffectedRequest_Reported(string request, string difference)
    {
        Assert.Null(pair.CandidateStartError);

        var e = Assert.Throws<XunitException>(() => pair.AssertSameResponse(request));

        Assert.Contains($"request \"{request}\" differs", e.Message);
        Assert.Contains("  - " + difference, e.Message);
        Assert.Contains("(reference, port", e.Message);
        Assert.Contains("(candidate, port", e.Message);
    }

    [Theory]
    [InlineData("GET /index.html")]
    [InlineData("GET /big.bin")]
    [InlineData("GET /missing")]
    [InlineData("HEAD /noindex/")]
    [InlineData("GET /big.bin [Range: bytes=0-0,10-19]")]
    [InlineData("GET /docs")]
    public void MutatedConfig_UnaffectedRequest_Same(string request) => pair.AssertSameResponse(request);
}
