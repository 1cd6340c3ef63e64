using System.Text;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// The generated differential table (a few hundred rows, each with a unique readable name): methods, paths with
/// percent-encodings and dot segments, Host variants, conditional requests with the validators nginx returned,
/// ranges, and malformed or unusual request lines. Everything here is a request a client or an attacker sends.
/// </summary>
public static class RequestTable
{
    private static readonly Lazy<IReadOnlyDictionary<string, HttpRequestCase>> Table = new(() =>
    {
        var all = new Dictionary<string, HttpRequestCase>(StringComparer.Ordinal);
        foreach (var c in Generate())
        {
            if (!all.TryAdd(c.Name, c))
            {
                throw new InvalidOperationException($"duplicate request name in the differential table: {c.Name}");
            }
        }

        return all;
    });

    public static IReadOnlyDictionary<string, HttpRequestCase> All => Table.Value;

    public static IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)Table.Value.Keys;

    /// <summary>Paths asked with GET and HEAD.</summary>
    public static readonly string[] Paths =
    [
        // files and types
        "/", "/index.html", "/about.html", "/UPPER.HTML", "/style.css", "/script.js", "/data.json", "/image.png",
        "/notes.txt", "/README", "/unknown.xyz", "/empty.txt", "/.hidden", "/big.bin",
        // directories, index, try_files
        "/docs", "/docs/", "/docs/index.html", "/docs/guide", "/docs/guide/", "/docs/guide/page.html",
        "/noindex", "/noindex/", "/noindex/x.txt", "/missing", "/missing/", "/missing.html", "/index.html/",
        // names with spaces and UTF-8
        "/file%20with%20spaces.html", "/file with spaces.html", "/file+with+spaces.html",
        "/%C3%BCn%C3%AFc%C3%B6d%C3%A9.txt", "/ünïcödé.txt", "/%c3%bcn%c3%afc%c3%b6d%c3%a9.txt",
        // percent-encodings and dot segments
        "/%69ndex.html", "/index%2ehtml", "/index%2Ehtml", "/docs%2fguide%2fpage.html", "/docs/guide%2Fpage.html",
        "/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/etc/passwd", "/../etc/passwd", "/docs/../index.html",
        "/docs/%2e%2e/index.html", "/docs/guide/../../index.html", "/docs/./guide/page.html", "/./index.html",
        "/docs/guide/./../guide/page.html", "/docs/..", "/docs/.", "/..", "/.", "/static/../index.html",
        "/static/%2e%2e/index.html", "/static/..%2findex.html", "//index.html", "/docs//guide//page.html",
        "///docs///", "/index.html%00", "/index.html%00.txt", "/index.html%", "/%zz", "/%", "/docs\\guide\\page.html",
        "/docs%5Cguide%5Cpage.html", "/index.html;param", "/index.html#fragment",
        // query strings
        "/index.html?x=1", "/?a=b&c=d", "/docs?x=1", "/docs/guide?a=1&b=2", "/index.html?", "/index.html?%00",
        "/text?q=%20a+b&x=%C3%BC", "/index.html?" + new string('q', 3000),
        // locations: exact, ^~ alias, regex, named, return, rewrite
        "/exact", "/exact/", "/exact?x", "/EXACT", "/hello", "/hello/", "/old", "/go", "/go/deeper", "/gopher",
        "/text", "/text/a%20b", "/secret/", "/secret/file.txt", "/secret", "/teapot",
        "/static/", "/static", "/static/logo.svg", "/static/style.css", "/static/sub", "/static/sub/", "/static/sub/deep.txt",
        "/static/missing.svg", "/static/shadowed.txt", "/STATIC/logo.svg", "/style.CSS", "/script.JS", "/static.css",
        "/user/alice", "/user/alice/", "/user/al-ice", "/user/%C3%BC", "/user/", "/user/a%20b",
        "/app/real.txt", "/app/missing", "/app/", "/app/missing?x=1&y=2",
        "/legacy/guide/page.html", "/legacy/", "/legacy/missing", "/moved/guide/page.html", "/moved/x?y=1",
        "/temp/guide/page.html?drop=me", "/rw/guide/page.html", "/rw/index.html", "/rw/missing",
        "/loop/x", "/errors/404.html", "/errors/50x.html", "/favicon.ico",
        "/dl/file.txt", "/dl/page.html", "/dl/",
        // very long paths: under and over nginx's 8 KiB request-line buffer
        "/" + new string('a', 4000), "/" + new string('a', 9000), "/docs/" + string.Concat(Enumerable.Repeat("../", 300)) + "index.html",
    ];

    private static IEnumerable<HttpRequestCase> Generate()
    {
        foreach (var path in Paths)
        {
            yield return Case("GET", path);
            yield return Case("HEAD", path);
        }

        // Other methods: static files allow GET/HEAD/POST (405 for the rest); return answers any method.
        foreach (var path in new[] { "/", "/index.html", "/docs/", "/missing", "/hello", "/text?a=1", "/app/missing", "/old", "/static/logo.svg", "/noindex/", "/big.bin", "/loop/x" })
        {
            yield return Case("POST", path, body: "a=1&b=2");
        }

        foreach (var path in new[] { "/", "/index.html", "/missing", "/hello", "/static/logo.svg", "/docs" })
        {
            yield return Case("PUT", path, body: "payload");
            yield return Case("OPTIONS", path);
            yield return Case("DELETE", path);
        }

        yield return Case("PATCH", "/index.html", body: "x");
        yield return Case("TRACE", "/index.html");
        yield return Case("PROPFIND", "/");
        yield return Case("FOO", "/hello");
        yield return Case("get", "/index.html");
        yield return Case("POST", "/hello", name: "POST /hello [empty body]", body: "");
        yield return Case("POST", "/hello", name: "POST /hello [chunked body]", headers: ["Transfer-Encoding: chunked"], body: "5\r\nhello\r\n0\r\n\r\n");
        yield return Case("POST", "/index.html", name: "POST /index.html [Expect: 100-continue]", headers: ["Expect: 100-continue"], body: "abc");

        foreach (var c in HostCases())
        {
            yield return c;
        }

        foreach (var c in ConditionalCases())
        {
            yield return c;
        }

        foreach (var c in RangeCases())
        {
            yield return c;
        }

        foreach (var c in VariableCases().Concat(AuthCases()).Concat(FilterErrorPageCases()))
        {
            yield return c;
        }

        foreach (var c in AccessCases())
        {
            yield return c;
        }

        foreach (var c in AutoIndexCases())
        {
            yield return c;
        }

        foreach (var c in ProtocolCases())
        {
            yield return c;
        }
    }

    private static IEnumerable<HttpRequestCase> HostCases()
    {
        foreach (var path in new[] { "/", "/hello", "/docs" })
        {
            yield return Case("GET", path, host: null, suffix: "[no Host]");
            yield return Case("GET", path, host: "LOCALHOST", suffix: "[Host: LOCALHOST]");
            yield return Case("GET", path, host: "localhost:{port}", suffix: "[Host: localhost:PORT]");
            yield return Case("GET", path, host: "other.test", suffix: "[Host: other.test]");
        }

        string[] hosts =
        [
            "localhost.", "example.test", "Example.Test:{port}", "other.test:{port}", "OTHER.TEST", "a.wild.test",
            "deep.a.wild.test", "wild.test", "127.0.0.1", "127.0.0.1:{port}", "[::1]", "[::1]:{port}", "unknown.test",
            "bad host", "a/b", "..", "a..b", "[::1", "localhost:", "localhost:abc", "user@localhost", "", "bad_host",
            "xn--nxasmq6b.test", "ünïcödé.test", "-leading.test", new string('h', 300) + ".test",
        ];
        foreach (var host in hosts)
        {
            yield return Case("GET", "/hello", host: host, suffix: $"[Host: {Shorten(host, 40)}]");
        }

        yield return Case("GET", "/hello", host: null, version: "HTTP/1.0", suffix: "[HTTP/1.0, no Host]");
        yield return Case("GET", "/", host: null, version: "HTTP/1.0", suffix: "[HTTP/1.0, no Host]");
        yield return Case("GET", "/hello", headers: ["Host: other.test"], suffix: "[two Host headers]");
        yield return Case("GET", "http://other.test/hello", suffix: "[absolute URI, Host: localhost]");
        yield return Case("GET", "http://localhost:{port}/index.html", host: "other.test", suffix: "[absolute URI with port, Host: other.test]");
        yield return Case("GET", "http://bad host/hello", suffix: "[absolute URI with a bad host]");
        yield return Case("GET", "https://localhost/index.html", suffix: "[https absolute URI]");
    }

    private static IEnumerable<HttpRequestCase> ConditionalCases()
    {
        foreach (var path in new[] { "/index.html", "/big.bin", "/static/logo.svg", "/docs/" })
        {
            yield return Cond("GET", path, "If-None-Match: {etag}");
            yield return Cond("HEAD", path, "If-None-Match: {etag}");
            yield return Cond("GET", path, "If-Modified-Since: {last-modified}");
            yield return Cond("GET", path, "If-Match: \"other\"");
            yield return Cond("GET", path, "If-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT");
        }

        const string path2 = "/style.css";
        yield return Cond("GET", path2, "If-None-Match: W/{etag}");
        yield return Cond("GET", path2, "If-None-Match: \"other\"");
        yield return Cond("GET", path2, "If-None-Match: *");
        yield return Cond("GET", path2, "If-None-Match: \"x\", {etag}");
        yield return Cond("GET", path2, "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT");
        yield return Cond("GET", path2, "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT");
        yield return Cond("GET", path2, "If-Modified-Since: not a date");
        yield return Cond("GET", path2, "If-Modified-Since: Tuesday, 02-Jan-24 03:04:05 GMT");
        yield return Cond("GET", path2, "If-Match: {etag}");
        yield return Cond("GET", path2, "If-Match: *");
        yield return Cond("GET", path2, "If-Unmodified-Since: {last-modified}");
        yield return Cond("GET", path2, "If-None-Match: {etag}", "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT");
        yield return Cond("GET", path2, "If-None-Match: \"other\"", "If-Modified-Since: {last-modified}");
        yield return Cond("POST", path2, "If-None-Match: {etag}");
        yield return Cond("GET", "/missing", "If-None-Match: *");
        yield return Cond("GET", "/hello", "If-None-Match: *");
    }

    private static IEnumerable<HttpRequestCase> RangeCases()
    {
        string[] big = ["bytes=0-99", "bytes=-100", "bytes=100-", "bytes=0-0", "bytes=1048575-", "bytes=1048576-",
            "bytes=99999999-", "bytes=0-1048575", "bytes=0-", "bytes=-0", "bytes=-2000000", "bytes=500-100",
            "bytes=0-0,10-19", "bytes=0-1,1-2", "bytes=0-9,-5", "bytes=abc", "items=0-10", "bytes = 0-10", "bytes=0-9,1048576-"];
        foreach (var r in big)
        {
            yield return Ranged("GET", "/big.bin", r);
        }

        foreach (var r in new[] { "bytes=0-39", "bytes=-41", "bytes=2520-", "bytes=0-0,40-79,80-119", "bytes=5000-" })
        {
            yield return Ranged("GET", "/notes.txt", r);
        }

        yield return Ranged("HEAD", "/notes.txt", "bytes=0-39");
        yield return Ranged("GET", "/empty.txt", "bytes=0-0");
        yield return Ranged("GET", "/empty.txt", "bytes=-1");
        yield return Ranged("GET", "/hello", "bytes=0-1");
        yield return Ranged("GET", "/missing", "bytes=0-1");
        yield return Ranged("GET", "/static/logo.svg", "bytes=0-9");
        yield return Cond("GET", "/notes.txt", "Range: bytes=0-39", "If-Range: {etag}");
        yield return Cond("GET", "/notes.txt", "Range: bytes=0-39", "If-Range: \"other\"");
        yield return Cond("GET", "/notes.txt", "Range: bytes=0-39", "If-Range: {last-modified}");
        yield return Cond("GET", "/notes.txt", "Range: bytes=0-39", "If-Range: Mon, 01 Jan 2001 00:00:00 GMT");
    }

    private static IEnumerable<HttpRequestCase> VariableCases()
    {
        foreach (var m in new[] { "exact", "EXACT", "mixed", "re-abc", "re-ABC", "re-a1", "ci-x", "CI-y", "default", "", "nothing", "%20exact" })
        {
            yield return Case("GET", "/mapvars/x?m=" + m, suffix: "[map]");
        }

        yield return Case("GET", "/mapvars/x", suffix: "[map, no arg]");
        yield return Case("GET", "/mapset/x?m=exact", suffix: "[map, set]");
        yield return Case("GET", "/mapvars/kind?m=re-abc&v=1", suffix: "[map, chained]");
        foreach (var name in new[] { "example.com", "EXAMPLE.COM", "example.com.", "a.example.com", "b.a.example.com", "x.b.a.example.com",
                     "example.org", "x.example.org", "www.example.net", "www.example.com", "api12.foo", "api.foo", "unknown.test" })
        {
            yield return Case("GET", "/mapvars/kind", headers: ["X-Name: " + name], suffix: $"[map hostnames: {name}]");
        }

        foreach (var ip in new[] { "10.1.2.3", "10.1.9.9", "10.2.0.0", "10.0.0.5", "10.0.1.5", "10.0.1.11", "192.168.1.5", "192.168.2.5",
                     "::1", "2001:db8::1", "2001:db9::1", "::ffff:10.1.2.3", "garbage", "255.255.255.255", "10", "010.1.2.3", "10.1..3",
                     "10.1.2.3.4", "1.2.3.256" })
        {
            yield return Case("GET", "/mapvars/geo?ip=" + ip, suffix: "[geo]");
        }

        for (var i = 0; i < 24; i++)
        {
            yield return Case("GET", "/mapvars/split?s=" + i, suffix: "[split_clients]");
        }

        foreach (var xff in new[] { "5.6.7.8, 1.2.3.4", "5.6.7.8, 10.1.1.1", "5.6.7.8, 10.1.1.2", "5.6.7.8 , 10.1.1.2,9.9.9.9", "garbage",
                     "5.6.7.8, garbage", "garbage, 10.1.1.1", "1.2.3.4:8080", "10.1.1.1, 10.2.2.2", "5.6.7.8,,, ", "[2001:db8::1]:443",
                     ",1.2.3.4", "255.255.255.255", "" })
        {
            yield return Case("GET", "/geoproxy/", headers: ["X-Forwarded-For: " + xff], suffix: $"[geo proxy, X-Forwarded-For: {xff}]");
        }

        yield return Case("GET", "/geoproxy/", headers: ["X-Forwarded-For: 5.6.7.8", "X-Forwarded-For: 10.1.1.1"], suffix: "[geo proxy, two X-Forwarded-For]");
        yield return Case("GET", "/geoproxy/", suffix: "[geo proxy, no X-Forwarded-For]");
        foreach (var ip in new[] { "10.0.0.5", "10.0.0.10", "10.0.0.20", "10.0.0.21", "10.0.1.7", "10.0.2.9", "10.0.2.15", "10.255.255.1",
                     "11.0.0.255", "11.0.1.0", "2001:db8::1", "2002::1", "nope" })
        {
            yield return Case("GET", "/geoproxy/?ip=" + ip, suffix: "[geo ranges and 0.0.0.0/0]");
        }

        yield return Case("GET", "/cycle/", suffix: "[map cycle]");
        yield return Case("GET", "/cycle/?ca=1&cb=2", suffix: "[map cycle]");
    }

    /// <summary>satisfy over allow/deny and auth_basic; the password schemes of ngx_crypt.</summary>
    private static IEnumerable<HttpRequestCase> AuthCases()
    {
        static string Basic(string credentials) =>
            "Authorization: Basic " + Convert.ToBase64String(Encoding.Latin1.GetBytes(credentials));

        var credentials = new[] { "alice:secret", "alice:bad", "nobody:x", "apr:password", "apr:passwore", "sha:password", "ssha:password",
            "ssha:x", "md5:password", "sha512:password", "sha512:comment", ":", "alice" };
        foreach (var path in new[] { "/auth/any/index.html", "/auth/all/index.html", "/auth/alldeny/index.html", "/auth/anyallow/index.html" })
        {
            yield return Case("GET", path, suffix: "[auth, no credentials]");
            foreach (var c in credentials)
            {
                yield return Case("GET", path, headers: [Basic(c)], suffix: $"[auth {c}]");
            }
        }

        foreach (var header in new[] { "Basic", "Basic ", "basic YWxpY2U6c2VjcmV0", "Basic    YWxpY2U6c2VjcmV0", "Bearer YWxpY2U6c2VjcmV0",
                     "Basic YWxpY2U6c2VjcmV0=", "Basic YWxpY2U6c2VjcmV0 ", "Basic !!!", "Basic YWxpY2U" })
        {
            yield return Case("GET", "/auth/all/index.html", headers: ["Authorization: " + header], suffix: $"[Authorization: {header}]");
            yield return Case("GET", "/auth/user/", headers: ["Authorization: " + header], suffix: $"[Authorization: {header}]");
        }

        foreach (var realm in new[] { "off", "Zone", "" })
        {
            yield return Case("GET", "/auth/realm/index.html?realm=" + realm, suffix: "[auth realm from a variable]");
        }

        yield return Case("HEAD", "/auth/all/index.html", suffix: "[auth, no credentials]");
    }

    /// <summary>error_page for the 412 and 416 the not-modified and range filters decide.</summary>
    private static IEnumerable<HttpRequestCase> FilterErrorPageCases()
    {
        foreach (var path in new[] { "/fe/page/notes.txt", "/fe/over/notes.txt", "/fe/named/notes.txt", "/fe/url/notes.txt" })
        {
            foreach (var method in new[] { "GET", "HEAD" })
            {
                yield return Case(method, path, headers: ["If-Match: \"nope\""], suffix: "[error_page 412, If-Match]");
                yield return Case(method, path, headers: ["If-Unmodified-Since: Mon, 01 Jan 1990 00:00:00 GMT"], suffix: "[error_page 412, If-Unmodified-Since]");
                yield return Case(method, path, headers: ["Range: bytes=100000-"], suffix: "[error_page 416]");
            }

            yield return Case("GET", path, headers: ["Range: bytes=0-9"], suffix: "[error_page 416, satisfiable]");
        }

        yield return Case("GET", "/fe/return/x", headers: ["If-Match: \"nope\""], suffix: "[error_page 412, If-Match]");
        yield return Case("GET", "/fe/return/x", headers: ["If-Unmodified-Since: Mon, 01 Jan 1990 00:00:00 GMT"], suffix: "[error_page 412, If-Unmodified-Since]");
    }

    private static IEnumerable<HttpRequestCase> AccessCases()
    {
        foreach (var path in new[] { "/acl/open/index.html", "/acl/closed/index.html", "/acl/closed/", "/acl/v6/index.html", "/acl/net/index.html",
                     "/acl/return/x", "/acl/errpage/x" })
        {
            yield return Case("GET", path, suffix: "[access]");
        }

        yield return Case("HEAD", "/acl/closed/index.html", suffix: "[access]");
        foreach (var path in new[] { "/le/index.html", "/le-return/x", "/le-allow/x" })
        {
            foreach (var method in new[] { "GET", "HEAD", "POST", "PUT", "DELETE", "FOO" })
            {
                yield return Case(method, path, body: method is "POST" or "PUT" ? "x" : null, suffix: "[limit_except]");
            }
        }
    }

    private static IEnumerable<HttpRequestCase> AutoIndexCases()
    {
        foreach (var path in new[] { "/listing/", "/listing/sub/", "/listing/empty/", "/listing/sub%20dir&/", "/listing/Zdir/",
                     "/ls-approx/", "/ls-json/", "/ls-json/sub/", "/ls-json/empty/", "/ls-jsonp/", "/ls-jsonp/?callback=cb_1.x",
                     "/ls-jsonp/?callback=bad-name", "/ls-jsonp/?callback=", "/ls-jsonp/?callback=" + new string('c', 129),
                     "/ls-xml/", "/ls-xml/empty/", "/ls-local/", "/listing/missing/", "/listing", "/listing/plain.txt",
                     "/listing/?x=1", "/listing/%75%70per/" })
        {
            yield return Case("GET", path, suffix: "[autoindex]");
            yield return Case("HEAD", path, suffix: "[autoindex]");
        }

        yield return Case("POST", "/listing/", body: "a=1", suffix: "[autoindex]");
        yield return Case("PUT", "/listing/", body: "a=1", suffix: "[autoindex]");
        yield return Cond("GET", "/listing/", "If-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT");
        yield return Cond("GET", "/listing/", "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT");
        yield return Cond("GET", "/listing/", "If-None-Match: *");
        yield return Cond("GET", "/listing/", "If-Match: *");
        yield return Ranged("GET", "/listing/", "bytes=0-9");
    }

    private static IEnumerable<HttpRequestCase> ProtocolCases()
    {
        yield return Case("GET", "/index.html", version: "HTTP/1.0", suffix: "[HTTP/1.0]");
        yield return Case("GET", "/docs", version: "HTTP/1.0", suffix: "[HTTP/1.0]");
        yield return Case("GET", "/index.html", version: "HTTP/2.0", suffix: "[HTTP/2.0 request line]");
        yield return Case("GET", "/index.html", version: "HTTP/1.9", suffix: "[HTTP/1.9]");
        yield return Case("GET", "/index.html", version: "HTTP/3.0", suffix: "[HTTP/3.0]");
        yield return Case("GET", "/index.html", version: "http/1.1", suffix: "[lower-case version]");
        yield return Case("GET", "/index.html", version: "", host: null, suffix: "[HTTP/0.9 request line]");
        yield return Case("GET", "index.html", suffix: "[relative target]");
        yield return Case("GET", "*", suffix: "[asterisk target]");
        yield return Case("OPTIONS", "*", suffix: "[asterisk target]");
        yield return Case("GET", "/hello", headers: ["X-Bad Header: x"], suffix: "[space in header name]");
        yield return Case("GET", "/hello", headers: ["Under_Score: x"], suffix: "[underscore header]");
        yield return Case("GET", "/hello", headers: ["NoColonHeader"], suffix: "[header without colon]");
        yield return Case("GET", "/hello", headers: ["Cookie: " + new string('c', 9000)], suffix: "[9000-byte header]");
        yield return Case("GET", "/hello", headers: ["Content-Length: abc"], suffix: "[bad Content-Length]");
        yield return Case("GET", "/hello", headers: ["Transfer-Encoding: gzip"], suffix: "[unknown Transfer-Encoding]");
        yield return Case("GET", "/index.html", headers: ["Accept-Encoding: gzip, br"], suffix: "[Accept-Encoding: gzip]");
    }

    private static HttpRequestCase Case(string method, string target, string? host = "localhost", string version = "HTTP/1.1",
        IReadOnlyList<string>? headers = null, string? body = null, string? suffix = null, string? name = null) =>
        new(name ?? Name(method, target, suffix), method, target, host, version, headers, body);

    private static HttpRequestCase Cond(string method, string path, params string[] headers) =>
        new(Name(method, path, "[" + string.Join(", ", headers) + "]"), method, path, Headers: headers, ValidatorsOf: path,
            Body: method == "POST" ? "" : null);

    private static HttpRequestCase Ranged(string method, string path, string range) =>
        new(Name(method, path, $"[Range: {range}]"), method, path, Headers: ["Range: " + range]);

    private static string Name(string method, string target, string? suffix) =>
        $"{method} {Shorten(target, 60)}" + (suffix is null ? "" : " " + suffix);

    /// <summary>Readable in a test name: control characters escaped, long values cut with their length.</summary>
    private static string Shorten(string s, int max)
    {
        var sb = new StringBuilder();
        foreach (var c in s.Length > max ? s[..(max / 2)] : s)
        {
            sb.Append(c < ' ' ? $"\\x{(int)c:x2}" : c.ToString());
        }

        return s.Length > max ? $"{sb}…({s.Length} chars)" : sb.ToString();
    }
}
