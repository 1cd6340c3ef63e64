using System.Collections.Frozen;
using System.Text;

namespace NginxLite.Server.Http;

/// <summary>
/// nginx's built-in error and redirect pages (ngx_http_special_response.c), byte for byte except the product line:
/// <c>&lt;hr&gt;&lt;center&gt;nginxlite&lt;/center&gt;</c> (with <c>/version</c> when <c>server_tokens on</c>), see docs/engine.md.
/// </summary>
public static class StatusPages
{
    public const string Product = "nginxlite";
    public const string Version = "0.1.0";

    private static readonly FrozenDictionary<int, string> Titles = new Dictionary<int, string>
    {
        [301] = "301 Moved Permanently", [302] = "302 Found", [303] = "303 See Other", [307] = "307 Temporary Redirect",
        [308] = "308 Permanent Redirect", [400] = "400 Bad Request", [401] = "401 Authorization Required",
        [402] = "402 Payment Required", [403] = "403 Forbidden", [404] = "404 Not Found", [405] = "405 Not Allowed",
        [406] = "406 Not Acceptable", [408] = "408 Request Time-out", [409] = "409 Conflict", [410] = "410 Gone",
        [411] = "411 Length Required", [412] = "412 Precondition Failed", [413] = "413 Request Entity Too Large",
        [414] = "414 Request-URI Too Large", [415] = "415 Unsupported Media Type", [416] = "416 Requested Range Not Satisfiable",
        [421] = "421 Misdirected Request", [429] = "429 Too Many Requests", [494] = "400 Request Header Or Cookie Too Large",
        [497] = "400 The plain HTTP request was sent to HTTPS port",
        [500] = "500 Internal Server Error", [501] = "501 Not Implemented", [502] = "502 Bad Gateway",
        [503] = "503 Service Temporarily Unavailable", [504] = "504 Gateway Time-out", [505] = "505 HTTP Version Not Supported",
        [507] = "507 Insufficient Storage",
    }.ToFrozenDictionary();

    /// <summary>nginx's status-line reason phrases where they differ from the HTTP registry Kestrel uses.</summary>
    private static readonly FrozenDictionary<int, string> Reasons = new Dictionary<int, string>
    {
        [302] = "Moved Temporarily", [405] = "Not Allowed", [408] = "Request Time-out", [413] = "Request Entity Too Large",
        [414] = "Request-URI Too Large", [416] = "Requested Range Not Satisfiable", [503] = "Service Temporarily Unavailable",
        [504] = "Gateway Time-out",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<int, byte[]> WithTokens = Build(Product + "/" + Version);
    private static readonly FrozenDictionary<int, byte[]> WithoutTokens = Build(Product);

    public static string? Reason(int status) => Reasons.GetValueOrDefault(status);

    /// <summary>The page for <paramref name="status"/>, or null when nginx has none (the response then has no body).</summary>
    public static byte[]? Page(int status, bool serverTokens) =>
        (serverTokens ? WithTokens : WithoutTokens).GetValueOrDefault(status);

    public static bool HasPage(int status) => Titles.ContainsKey(status);

    private static FrozenDictionary<int, byte[]> Build(string product)
    {
        var pages = new Dictionary<int, byte[]>();
        foreach (var (code, title) in Titles)
        {
            // 494 (and nginx's other 4xx-as-400 pages): "400 Bad Request" heading, the detail on its own line.
            var h1 = code is 494 or 497
                ? $"<center><h1>400 Bad Request</h1></center>\r\n<center>{title[4..]}</center>\r\n"
                : $"<center><h1>{title}</h1></center>\r\n";
            var text = $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n{h1}"
                + $"<hr><center>{product}</center>\r\n</body>\r\n</html>\r\n";
            pages[code] = Encoding.ASCII.GetBytes(text);
        }

        return pages.ToFrozenDictionary();
    }
}
