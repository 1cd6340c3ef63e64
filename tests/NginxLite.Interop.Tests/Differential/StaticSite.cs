using NginxLite.TestSupport;
using System.Text;
using NginxLite.Interop.Tests.Support;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// The files both servers serve (one copy on disk, so ETag and Last-Modified agree) and the config both read:
/// a realistic static site with root, alias, index, try_files, regex/exact/^~/named locations, return, rewrite
/// (last/break/redirect/permanent), error_page, add_header, types/default_type from the repo's conf/mime.types.
/// Every file and directory gets the same fixed mtime, so conditional requests are deterministic.
/// </summary>
public sealed class StaticSite : IDisposable
{
    public static readonly DateTime MTime = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    public const int BigFileSize = 1024 * 1024;

    private readonly TempDir _dir = new();

    public StaticSite()
    {
        Www = _dir.Dir("www");
        Assets = _dir.Dir("assets");
        foreach (var (path, content) in WwwFiles())
        {
            Write(Www, path, content);
        }

        foreach (var (path, content) in AssetFiles())
        {
            Write(Assets, path, content);
        }

        _dir.Dir("www/listing/empty");
        File.WriteAllText(Htpasswd, HtpasswdText);
        foreach (var dir in Directory.GetDirectories(_dir.Path, "*", SearchOption.AllDirectories))
        {
            Directory.SetLastWriteTimeUtc(dir, MTime);
        }
    }

    public string Root => _dir.Path;

    /// <summary>auth_basic_user_file of the site: one user per password scheme ngx_crypt knows.</summary>
    public string Htpasswd => Path.Combine(_dir.Path, "htpasswd");

    private const string HtpasswdText = """
        # users of the differential site
        alice:{PLAIN}secret
        apr:$apr1$abcdefgh$FBwExRW4dCc8aL.OvjpIE1
        sha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=
        ssha:{SSHA}q0TrTKgCbere5nXa6iXN6BoYTpRzYWx0aWU=
        md5:$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/
        sha512:$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/:comment

        """;

    public string Www { get; }

    public string Assets { get; }

    /// <summary>A fresh prefix directory (conf/, logs/) for one server.</summary>
    public string NewPrefix(string name) => _dir.Dir("prefix-" + name);

    private static IEnumerable<(string Path, byte[] Content)> WwwFiles()
    {
        static byte[] T(string s) => Encoding.UTF8.GetBytes(s);
        static string Page(string title) => $"<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n<body><h1>{title}</h1></body></html>\n";

        yield return ("index.html", T(Page("Home")));
        yield return ("about.html", T(Page("About")));
        yield return ("new.html", T(Page("New")));
        yield return ("UPPER.HTML", T(Page("Upper-case extension")));
        yield return ("style.css", T("body { font-family: sans-serif; }\nh1 { color: #333; }\n"));
        yield return ("script.js", T("console.log('hello');\n"));
        yield return ("data.json", T("{\"ok\": true, \"items\": [1, 2, 3]}\n"));
        yield return ("image.png", Binary(3000, seed: 7));
        yield return ("notes.txt", T(string.Concat(Enumerable.Range(0, 64).Select(i => $"line {i:D3} of the notes file, 40 bytes\n"))));
        yield return ("README", T("no extension: default_type applies\n"));
        yield return ("unknown.xyz", T("unknown extension\n"));
        yield return ("empty.txt", []);
        yield return (".hidden", T("dot file\n"));
        yield return ("big.bin", Binary(BigFileSize, seed: 42));
        yield return ("file with spaces.html", T(Page("Spaces")));
        yield return ("ünïcödé.txt", T("UTF-8 file name\n"));
        yield return ("docs/index.html", T(Page("Docs")));
        yield return ("docs/guide/index.htm", T(Page("Guide (second index name)")));
        yield return ("docs/guide/page.html", T(Page("Guide page")));
        yield return ("docs/guide/x.txt", T("x\n"));
        yield return ("noindex/x.txt", T("a directory without an index file\n"));
        yield return ("errors/404.html", T(Page("Custom 404")));
        yield return ("errors/50x.html", T(Page("Custom 50x")));
        yield return ("app/real.txt", T("a real file under /app/\n"));
        yield return ("dl/file.txt", T("served as octet-stream by types {}\n"));
        yield return ("dl/page.html", T(Page("Download page")));
        yield return ("secret/file.txt", T("never served\n"));
        yield return ("static/shadowed.txt", T("shadowed by the ^~ /static/ alias\n"));

        // autoindex: names that exercise escaping, truncation at 50 bytes, padding, sizes and sort order
        yield return ("listing/plain.txt", T("plain\n"));
        yield return ("listing/UPPER.txt", T("upper\n"));
        yield return ("listing/a&b<c>.txt", T("html specials\n"));
        yield return ("listing/quote\"d.txt", T("quote\n"));
        yield return ("listing/sp ace+plus%25.txt", T("uri specials\n"));
        yield return ("listing/ünïcödé-name.txt", T("utf-8\n"));
        yield return ("listing/" + new string('n', 50), T("exactly 50\n"));
        yield return ("listing/" + new string('l', 51), T("51\n"));
        yield return ("listing/" + new string('m', 60) + ".txt", T("long\n"));
        yield return ("listing/" + new string('&', 48) + ".x", T("long escaped\n"));
        yield return ("listing/" + new string('ü', 30) + ".txt", T("long utf-8\n"));
        yield return ("listing/.hidden", T("hidden\n"));
        yield return ("listing/n9999.bin", new byte[9999]);
        yield return ("listing/k10751.bin", new byte[10751]);
        yield return ("listing/k10752.bin", new byte[10752]);
        yield return ("listing/m1572864.bin", new byte[1572864]);
        yield return ("listing/sub/inner.txt", T("inner\n"));
        yield return ("listing/" + new string('d', 49) + "/f.txt", T("dir of 49\n"));
        yield return ("listing/" + new string('e', 50) + "/f.txt", T("dir of 50\n"));
        yield return ("listing/Zdir/f.txt", T("dir sorted by bytes\n"));
        yield return ("listing/sub dir&/f.txt", T("dir with specials\n"));
    }

    private static IEnumerable<(string Path, byte[] Content)> AssetFiles()
    {
        yield return ("logo.svg", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n"));
        yield return ("style.css", Encoding.UTF8.GetBytes("/* assets */\n"));
        yield return ("sub/deep.txt", Encoding.UTF8.GetBytes("deep asset\n"));
        yield return ("sub/index.html", Encoding.UTF8.GetBytes("<p>asset index</p>\n"));
    }

    private static byte[] Binary(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private void Write(string root, string relative, byte[] content)
    {
        var full = Path.Combine(root, relative);
        _dir.Dir(Path.GetRelativePath(_dir.Path, Path.GetDirectoryName(full)!));
        File.WriteAllBytes(full, content);
        File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetLastWriteTimeUtc(full, MTime);
    }

    /// <summary>The config both servers read, listening on <paramref name="port"/>.</summary>
    public string Config(int port) => $$"""
        worker_processes 1;
        error_log logs/error.log;
        pid logs/server.pid;

        events {
            worker_connections 512;
        }

        http {
            include {{RepoPaths.MimeTypes}};
            default_type application/octet-stream;
            access_log logs/access.log;
            server_tokens off;
            autoindex off;
            keepalive_timeout 5s;

            map $arg_m $mapped {
                default dflt;
                exact exact-value;
                Mixed mixed-case-key;
                ~^re-(?<word>[a-z]+)$ "regex $1 $word";
                ~*^CI- case-insensitive;
                ~^re- regex-second;
                \default escaped-default-key;
                "" empty-key;
            }

            map $http_x_name $name_kind {
                hostnames;
                default none;
                example.com exact;
                *.example.com wild-head;
                *.a.example.com wild-head-longer;
                .example.org dot-org;
                www.example.* wild-tail;
                ~^api\d+\. regex;
            }

            map $uri $chained {
                default "chained-$mapped";
                /mapvars/kind "kind-$name_kind";
            }

            map $arg_v $vol {
                volatile;
                default "v=$arg_v";
            }

            geo $geo_remote {
                default unknown;
                127.0.0.0/8 loopback;
                10.0.0.0/8 ten;
            }

            geo $arg_ip $geo_arg {
                default d;
                10.0.0.0/8 ten;
                10.1.0.0/16 ten-one;
                10.1.2.3 host;
                192.168.0.0/16 private;
                192.168.1.0/24 deleted;
                delete 192.168.1.0/24;
                ::1 v6-loopback;
                2001:db8::/32 doc;
            }

            geo $arg_ip $geo_ranges {
                ranges;
                default none;
                10.0.0.0-10.0.0.255 r1;
                10.0.1.0-10.0.1.10 r2;
            }

            geo $geo_proxy {
                proxy 127.0.0.1;
                proxy 10.0.0.0/8;
                default d;
                127.0.0.1 self;
                1.2.3.4 one;
                5.6.7.8 five;
                10.1.1.1 ten;
            }

            geo $geo_recursive {
                proxy 127.0.0.1;
                proxy 10.0.0.0/8;
                proxy_recursive;
                default d;
                127.0.0.1 self;
                1.2.3.4 one;
                5.6.7.8 five;
                10.1.1.1 ten;
            }

            geo $arg_ip $geo_split {
                ranges;
                default none;
                10.0.0.0-10.0.0.255 outer;
                10.0.0.10-10.0.0.20 inner;
                10.0.0.10-10.0.0.20 inner-replaced;
                10.0.1.0-10.0.1.255 gone;
                delete 10.0.1.0-10.0.1.255;
                10.0.2.0-10.0.2.255 split;
                delete 10.0.2.10-10.0.2.20;
                10.255.255.0-11.0.0.255 across;
            }

            geo $arg_ip $geo_zero {
                0.0.0.0/0 v4-only;
                2001:db8::/32 doc;
            }

            map $arg_ca $cycle_a { default "a:$cycle_b"; }
            map $arg_cb $cycle_b { default "b:$cycle_a"; }

            split_clients "${arg_s}salt" $variant {
                0.5% tiny;
                20% twenty;
                33.33% third;
                * rest;
            }

            server {
                listen 127.0.0.1:{{port}} default_server;
                server_name localhost example.test;
                root {{Www}};
                index index.html index.htm;
                add_header X-Site differential;

                rewrite ^/legacy/(.*)$ /docs/$1 last;
                rewrite ^/moved/(.*)$ /docs/$1 permanent;
                rewrite ^/temp/(.*)$ /docs/$1? redirect;

                error_page 404 /errors/404.html;
                error_page 500 502 503 504 /errors/50x.html;

                location / {
                    try_files $uri $uri/ =404;
                }

                location = /exact {
                    return 200 "exact match\n";
                }

                location = /hello {
                    return 200 "hello";
                }

                location = /old {
                    return 301 /new.html;
                }

                location /go {
                    return 302 http://example.test/target?from=$uri;
                }

                location /text {
                    default_type text/plain;
                    return 200 "uri=$uri args=$args\n";
                }

                location /secret/ {
                    return 403;
                }

                location = /teapot {
                    return 418;
                }

                location ^~ /static/ {
                    alias {{Assets}}/;
                    add_header X-Loc static;
                    add_header Cache-Control "public, max-age=3600";
                }

                location ~* \.(css|js)$ {
                    add_header X-Loc regex-css-js;
                }

                location ~ ^/user/(\w+)$ {
                    default_type text/plain;
                    return 200 "user $1\n";
                }

                location /app/ {
                    try_files $uri @fallback;
                }

                location @fallback {
                    default_type text/plain;
                    return 200 "fallback $uri $is_args$args\n";
                }

                location /rw/ {
                    rewrite ^/rw/(.*)$ /docs/$1 break;
                }

                location /loop/ {
                    rewrite ^/loop/(.*)$ /loop/$1 last;
                }

                location = /errors/404.html {
                    internal;
                }

                location /dl/ {
                    types { }
                    default_type application/octet-stream;
                }

                location /listing/ {
                    autoindex on;
                }

                location /ls-approx/ {
                    alias {{Www}}/listing/;
                    autoindex on;
                    autoindex_exact_size off;
                }

                location /ls-json/ {
                    alias {{Www}}/listing/;
                    autoindex on;
                    autoindex_format json;
                }

                location /ls-jsonp/ {
                    alias {{Www}}/listing/;
                    autoindex on;
                    autoindex_format jsonp;
                }

                location /ls-xml/ {
                    alias {{Www}}/listing/;
                    autoindex on;
                    autoindex_format xml;
                    add_header X-Listing xml;
                }

                location /ls-local/ {
                    alias {{Www}}/listing/;
                    autoindex on;
                    autoindex_localtime on;
                    index nothing.html;
                }

                location /mapvars/ {
                    default_type text/plain;
                    return 200 "mapped=$mapped name=$name_kind chained=$chained vol=$vol geo=$geo_remote geo_arg=$geo_arg ranges=$geo_ranges variant=$variant\n";
                }

                location /acl/open/ {
                    alias {{Www}}/docs/;
                    allow 127.0.0.1;
                    deny all;
                }

                location /acl/closed/ {
                    alias {{Www}}/docs/;
                    allow 10.0.0.0/8;
                    allow ::1;
                    deny all;
                }

                location /acl/v6/ {
                    alias {{Www}}/docs/;
                    deny ::/0;
                    allow all;
                }

                location /acl/net/ {
                    alias {{Www}}/docs/;
                    deny 127.0.0.0/24;
                }

                location /acl/return/ {
                    deny all;
                    default_type text/plain;
                    return 200 "return runs before access\n";
                }

                location /acl/errpage/ {
                    deny all;
                    error_page 403 /errors/50x.html;
                }

                location /le/ {
                    alias {{Www}}/docs/;
                    limit_except GET {
                        deny all;
                    }
                }

                location /le-return/ {
                    limit_except GET POST {
                        deny all;
                    }

                    default_type text/plain;
                    return 200 "le-return\n";
                }

                location /le-allow/ {
                    limit_except get {
                        allow 127.0.0.1;
                        deny all;
                    }

                    default_type text/plain;
                    return 200 "le-allow\n";
                }

                location /geoproxy/ {
                    default_type text/plain;
                    return 200 "proxy=$geo_proxy recursive=$geo_recursive split=$geo_split zero=$geo_zero\n";
                }

                location /cycle/ {
                    default_type text/plain;
                    return 200 "$cycle_a\n";
                }

                location /auth/any/ {
                    alias {{Www}}/docs/;
                    satisfy any;
                    deny all;
                    auth_basic "Any zone";
                    auth_basic_user_file {{Htpasswd}};
                }

                location /auth/all/ {
                    alias {{Www}}/docs/;
                    satisfy all;
                    allow 127.0.0.1;
                    deny all;
                    auth_basic "All zone";
                    auth_basic_user_file {{Htpasswd}};
                }

                location /auth/alldeny/ {
                    alias {{Www}}/docs/;
                    deny all;
                    auth_basic "Denied";
                    auth_basic_user_file {{Htpasswd}};
                }

                location /auth/anyallow/ {
                    alias {{Www}}/docs/;
                    satisfy any;
                    allow 127.0.0.1;
                    deny all;
                    auth_basic "Allowed";
                    auth_basic_user_file {{Htpasswd}};
                }

                location /auth/realm/ {
                    alias {{Www}}/docs/;
                    auth_basic $arg_realm;
                    auth_basic_user_file {{Htpasswd}};
                    error_page 401 /errors/404.html;
                }

                location /auth/user/ {
                    default_type text/plain;
                    return 200 "user=$remote_user\n";
                }

                location /fe/page/ {
                    alias {{Www}}/;
                    error_page 412 /errors/404.html;
                    error_page 416 /errors/50x.html;
                    add_header X-Fe page;
                }

                location /fe/over/ {
                    alias {{Www}}/;
                    error_page 412 =200 /errors/404.html;
                    error_page 416 =200 /errors/50x.html;
                }

                location /fe/named/ {
                    alias {{Www}}/;
                    error_page 412 416 @fe_named;
                }

                location @fe_named {
                    default_type text/plain;
                    return 200 "named $status\n";
                }

                location /fe/url/ {
                    alias {{Www}}/;
                    error_page 412 416 http://example.test/moved;
                }

                location /fe/return/ {
                    error_page 412 /errors/404.html;
                    default_type text/plain;
                    return 200 "return text\n";
                }

                location /mapset/ {
                    default_type text/plain;
                    set $mapped "set-$mapped";
                    return 200 "mapped=$mapped\n";
                }

                location = /favicon.ico {
                    log_not_found off;
                    access_log off;
                }
            }

            server {
                listen 127.0.0.1:{{port}};
                server_name other.test *.wild.test;
                default_type text/plain;
                return 200 "other server, host=$host\n";
            }
        }

        """;

    public void Dispose() => _dir.Dispose();
}
