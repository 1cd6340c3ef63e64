using Xunit;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// Issue 3, item 8: nginx and NginxLite serve the same <see cref="StaticSite"/>; every row of the
/// <see cref="RequestTable"/> must get the same response (see <see cref="ResponseComparer"/> for what "same" means,
/// and docs/intentional-differences.tsv for the documented exceptions, keyed <c>http:ROW NAME</c>).
/// </summary>
public sealed class HttpDifferentialTests(NginxLitePair pair) : IClassFixture<NginxLitePair>
{
    public static TheoryData<string> Requests() => new(RequestTable.Names);

    [Theory]
    [MemberData(nameof(Requests))]
    public void NginxLite_Request_SameResponseAsNginx(string request) => pair.AssertSameResponse(request);
}
