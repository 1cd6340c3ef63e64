namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// Request smuggling and framing attacks, as raw bytes: <c>{P}</c> is the location's path. Most carry a second
/// request (<see cref="Smuggled"/>) where a server that disagrees with another about the framing would see it.
/// </summary>
public static class SmugglingCases
{
    public const string Smuggled = "GET /proxy/SMUGGLED HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private const string Host = "Host: localhost\r\n";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["cl-and-te"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + Smuggled,
        ["te-and-cl"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked\r\nContent-Length: 60\r\n\r\n0\r\n\r\n" + Smuggled,
        ["cl-duplicate-equal"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello" + Smuggled,
        ["cl-duplicate-differing"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: 5\r\nContent-Length: 52\r\n\r\nhello" + Smuggled,
        ["cl-list"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: 5, 5\r\n\r\nhello" + Smuggled,
        ["cl-plus"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: +5\r\n\r\nhello" + Smuggled,
        ["cl-minus"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: -1\r\n\r\nhello" + Smuggled,
        ["cl-two-numbers"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: 5 5\r\n\r\nhello" + Smuggled,
        ["cl-hex"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: 0x5\r\n\r\nhello" + Smuggled,
        ["cl-overflow"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: 18446744073709551621\r\n\r\nhello" + Smuggled,
        ["cl-empty"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length: \r\n\r\nhello" + Smuggled,
        ["te-identity"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: identity\r\n\r\n0\r\n\r\n" + Smuggled,
        ["te-gzip"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: gzip\r\n\r\n0\r\n\r\n" + Smuggled,
        ["te-gzip-chunked"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + Smuggled,
        ["te-chunked-identity"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + Smuggled,
        ["te-duplicate"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + Smuggled,
        ["te-xchunked"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + Smuggled,
        ["te-in-http10"] = "POST {P} HTTP/1.0\r\n" + Host + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + Smuggled,
        ["te-space-before-colon"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello" + Smuggled,
        ["cl-space-before-colon"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length : 5\r\n\r\nhello" + Smuggled,
        ["cl-tab-before-colon"] = "POST {P} HTTP/1.1\r\n" + Host + "Content-Length\t: 5\r\n\r\nhello" + Smuggled,
        ["obs-fold"] = "GET {P} HTTP/1.1\r\n" + Host + "X-Folded: a\r\n b\r\n\r\n",
        ["obs-fold-te"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n\r\nhello" + Smuggled,
        ["obs-fold-first-line"] = "GET {P} HTTP/1.1\r\n " + Host + "\r\n",
        ["bare-lf"] = "POST {P} HTTP/1.1\n" + Host.Replace("\r", "", StringComparison.Ordinal) + "Content-Length: 5\n\nhello",
        ["bare-lf-smuggle"] = "POST {P} HTTP/1.1\r\n" + Host + "X-A: a\nContent-Length: 5\r\n\r\nhello" + Smuggled,
        ["bare-cr"] = "GET {P} HTTP/1.1\r\n" + Host + "X-A: a\rContent-Length: 5\r\n\r\nhello",
        ["chunk-size-overflow"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff1\r\nhello\r\n0\r\n\r\n" + Smuggled,
        ["chunk-size-negative"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n" + Smuggled,
        ["chunk-size-not-hex"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n" + Smuggled,
        ["chunk-missing-crlf"] = "POST {P} HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n" + Smuggled,
        ["nul-in-header-value"] = "GET {P} HTTP/1.1\r\n" + Host + "X-A: a\0b\r\n\r\n",
        ["nul-in-header-name"] = "GET {P} HTTP/1.1\r\n" + Host + "X-\0A: b\r\n\r\n",
        ["nul-in-request-line"] = "GET {P}\0 HTTP/1.1\r\n" + Host + "\r\n",
        ["header-without-colon"] = "GET {P} HTTP/1.1\r\n" + Host + "NoColon\r\n\r\n",
        ["header-name-space-inside"] = "GET {P} HTTP/1.1\r\n" + Host + "X A: b\r\n\r\n",
        ["host-duplicate"] = "GET {P} HTTP/1.1\r\n" + Host + "Host: other\r\n\r\n",
        ["host-missing-http11"] = "GET {P} HTTP/1.1\r\n\r\n",
        ["request-line-extra-space"] = "GET  {P} HTTP/1.1\r\n" + Host + "\r\n",
        ["request-line-lowercase-version"] = "GET {P} http/1.1\r\n" + Host + "\r\n",
        ["version-http2"] = "GET {P} HTTP/2.0\r\n" + Host + "\r\n",
        ["version-garbage"] = "GET {P} HTTP/1.1x\r\n" + Host + "\r\n",
    };
}
