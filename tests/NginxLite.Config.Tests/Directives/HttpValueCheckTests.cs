using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Config.Tests.TestSupport;

namespace NginxLite.Config.Tests.Directives;

/// <summary>The setters nginx writes by hand (error_page, return, expires …): each message as Debian's nginx 1.22.1 prints it.</summary>
public class HttpValueCheckTests
{
    [Theory]
    [InlineData("error_page /404.html /x;", "invalid value \"/404.html\"")]
    [InlineData("error_page 499 /x;", "invalid value \"499\"")]
    [InlineData("error_page 600 /x;", "value \"600\" must be between 300 and 599")]
    [InlineData("error_page 299 /x;", "value \"299\" must be between 300 and 599")]
    [InlineData("error_page = /x;", "invalid value \"=\"")]
    [InlineData("error_page 404 =x /x;", "invalid value \"=x\"")]
    [InlineData("error_page 404 =200 =301 /x;", "invalid value \"=200\"")]
    public void ErrorPage_BadCodeOrAnswer_SaysWhatNginxSays(string directive, string message) =>
        AssertFirstError($"http {{ server {{ {directive} }} }}", message);

    [Theory]
    [InlineData("return x;", "invalid return code \"x\"")]
    [InlineData("return 1000;", "invalid return code \"1000\"")]
    [InlineData("return \"\";", "invalid return code \"\"")]
    [InlineData("return http://a b;", "invalid return code \"http://a\"")]
    [InlineData("rewrite ^ /x foo;", "invalid parameter \"foo\"")]
    [InlineData("rewrite ( \"\" foo;", "empty replacement")]
    public void ReturnAndRewrite_BadArguments_SaysWhatNginxSays(string directive, string message) =>
        AssertFirstError($"http {{ server {{ location / {{ {directive} }} }} }}", message);

    [Theory]
    [InlineData("expires x;", "\"expires\" directive invalid value")]
    [InlineData("expires access;", "\"expires\" directive invalid value")]
    [InlineData("expires 500ms;", "\"expires\" directive invalid value")]
    [InlineData("expires modified max;", "\"expires\" directive invalid value")]
    [InlineData("expires 30d 1h;", "\"expires\" directive invalid value")]
    [InlineData("expires @25h;", "\"expires\" directive daily time value must be less than 24 hours")]
    [InlineData("expires modified @1h;", "\"expires\" directive daily time cannot be used with \"modified\" parameter")]
    [InlineData("keepalive_timeout 1y;", "\"keepalive_timeout\" directive invalid value")]
    [InlineData("keepalive_timeout 5 5ms;", "\"keepalive_timeout\" directive invalid value")]
    [InlineData("send_timeout 1m1h;", "\"send_timeout\" directive invalid value")]
    [InlineData("send_timeout \" 5s\";", "\"send_timeout\" directive invalid value")]
    [InlineData("client_body_buffer_size 1g;", "\"client_body_buffer_size\" directive invalid value")]
    [InlineData("directio x;", "\"directio\" directive invalid value")]
    public void TimesAndSizes_BadValue_SaysWhatNginxSays(string directive, string message) =>
        AssertFirstError($"http {{ server {{ location / {{ {directive} }} }} }}", message);

    [Theory]
    [InlineData("limit_except GETX { }", "invalid method \"GETX\"")]
    [InlineData("allow x;", "invalid parameter \"x\"")]
    [InlineData("allow 10.0.0.1/33;", "invalid parameter \"10.0.0.1/33\"")]
    [InlineData("deny ::1/129;", "invalid parameter \"::1/129\"")]
    [InlineData("allow 1.2.3;", "invalid parameter \"1.2.3\"")]
    [InlineData("index a \"\" b;", "index \"a\" in \"index\" directive is invalid")]
    [InlineData("add_header X y alwayS;", "invalid parameter \"alwayS\"")]
    [InlineData("open_file_cache max=x;", "invalid \"open_file_cache\" parameter \"max=x\"")]
    [InlineData("open_file_cache inactive=10s;", "\"open_file_cache\" must have the \"max\" parameter")]
    [InlineData("access_log /tmp/a.log combined buffer=0;", "invalid buffer size \"0\"")]
    [InlineData("access_log /tmp/a.log combined flush=x;", "invalid flush time \"x\"")]
    [InlineData("access_log /tmp/a.log combined gzip=10;", "invalid compression level \"10\"")]
    [InlineData("access_log /tmp/a.log combined foo;", "invalid parameter \"foo\"")]
    [InlineData("access_log /tmp/a.log combined flush=1m;", "no buffer is defined for access_log \"/tmp/a.log\"")]
    [InlineData("access_log off x;", "invalid parameter \"x\"")]
    public void LocationDirectives_BadArguments_SaysWhatNginxSays(string directive, string message) =>
        AssertFirstError($"http {{ server {{ location / {{ {directive} }} }} }}", message);

    [Theory]
    [InlineData("location @x { alias /x; }", "the \"alias\" directive cannot be used inside the named location")]
    [InlineData("location / { root /x/$document_root; }", "the $document_root variable cannot be used in the \"root\" directive")]
    [InlineData("location / { alias /x/${realpath_root}; }", "the $realpath_root variable cannot be used in the \"alias\" directive")]
    [InlineData("location / { try_files $uri =404x; }", "invalid code \"=404x\"")]
    [InlineData("location / { try_files $uri =1000; }", "invalid code \"=1000\"")]
    [InlineData("location / { set x y; }", "invalid variable name \"x\"")]
    [InlineData("location / { fastcgi_param X y z; }", "invalid parameter \"z\"")]
    [InlineData("location / { proxy_cookie_path x; }", "invalid parameter \"x\"")]
    [InlineData("location / { proxy_cookie_flags two; }", "invalid parameter \"two\"")]
    [InlineData("location / { proxy_cookie_flags ~(x secure; }", "pcre2_compile() failed: missing closing parenthesis in \"(x\"")]
    [InlineData("location / { proxy_cookie_path ~*(x /; }", "pcre2_compile() failed: missing closing parenthesis in \"(x\"")]
    [InlineData("location / { proxy_redirect false; }", "invalid parameter \"false\"")]
    [InlineData("location / { proxy_redirect default; proxy_pass http://a; }", "\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive")]
    [InlineData("location / { fastcgi_next_upstream http_502; }", "invalid value \"http_502\"")]
    [InlineData("location / { proxy_ignore_headers foo; }", "invalid value \"foo\"")]
    [InlineData("location / { gzip_comp_level 10; }", "value must be between 1 and 9")]
    [InlineData("location / { uwsgi_modifier1 300; }", "value must be between 0 and 255")]
    [InlineData("location / { client_body_temp_path /tmp 0; }", "\"client_body_temp_path\" directive invalid value")]
    [InlineData("location / { limit_rate 1g; }", "\"limit_rate\" directive invalid value")]
    public void ServerDirectives_BadArguments_SaysWhatNginxSays(string directive, string message) =>
        AssertFirstError($"http {{ server {{ {directive} }} }}", message);

    [Theory]
    [InlineData("worker_processes x;", "\"worker_processes\" directive invalid value")]
    [InlineData("worker_priority x;", "\"worker_priority\" directive invalid number")]
    [InlineData("error_log /tmp/e.log stderr;", "invalid log level \"stderr\"")]
    [InlineData("error_log /tmp/e.log warn debug_http;", "invalid log level \"debug_http\"")]
    [InlineData("error_log /tmp/e.log debug_http warn;", "duplicate log level \"warn\"")]
    [InlineData("http { connection_pool_size 100; }", "the pool size must be no less than 112")]
    [InlineData("http { limit_req_status 200; }", "value must be between 400 and 599")]
    [InlineData("http { proxy_cache_valid 200 1d x; }", "invalid time value \"x\"")]
    [InlineData("http { fastcgi_cache_valid 600 1m; }", "invalid status \"600\"")]
    [InlineData("http { server { valid_referers foo.com FOO.com/x; } }", "conflicting parameter \"foo.com\"")]
    [InlineData("http { server { valid_referers .a.com; valid_referers *.a.com; } }", "conflicting parameter \"*.a.com\"")]
    [InlineData("http { server { proxy_redirect off; proxy_redirect off; } }", "\"proxy_redirect\" directive is duplicate")]
    [InlineData("http { server { proxy_redirect http://a http://b; proxy_redirect off; } }", "\"proxy_redirect\" directive is duplicate")]
    [InlineData("http { request_pool_size 1000; }", "the pool size must be a multiple of 16")]
    [InlineData("http { ssl_session_cache shared:SSL; }", "invalid session cache \"shared:SSL\"")]
    [InlineData("http { ssl_session_cache builtin:x; }", "invalid session cache \"builtin:x\"")]
    [InlineData("http { ssl_session_cache shared:SSL:10k; }", "session cache \"shared:SSL:10k\" is too small")]
    [InlineData("http { limit_req_zone $a zone=x rate=1r/s; }", "invalid zone size \"zone=x\"")]
    [InlineData("http { limit_req_zone $a zone=x:1k rate=1r/s; }", "zone \"zone=x:1k\" is too small")]
    [InlineData("http { limit_req_zone $a zone=x:10m rate=5r/h; }", "invalid rate \"rate=5r/h\"")]
    [InlineData("http { limit_req_zone $a zone=:10m rate=5r/s; }", "\"limit_req_zone\" must have \"zone\" parameter")]
    [InlineData("http { limit_req_zone $a zone=x:10m foo; }", "invalid parameter \"foo\"")]
    [InlineData("http { limit_req zone=x burst=0; }", "invalid burst value \"burst=0\"")]
    [InlineData("http { limit_req zone=x delay=x; }", "invalid delay value \"delay=x\"")]
    [InlineData("http { limit_req burst=5; }", "\"limit_req\" must have \"zone\" parameter")]
    [InlineData("http { limit_conn x 0; }", "invalid number of connections \"0\"")]
    [InlineData("http { limit_conn x 65536; }", "connection limit must be less 65536")]
    [InlineData("http { gzip_disable \"(x\"; }", "pcre2_compile() failed: missing closing parenthesis in \"(x\"")]
    [InlineData("http { log_format x escape=foo '$uri'; }", "unknown log format escaping \"foo\"")]
    [InlineData("http { set_real_ip_from proxy.invalid; }", "host not found in set_real_ip_from \"proxy.invalid\"")]
    [InlineData("http { server { server_name .; } }", "server name \".\" is invalid")]
    [InlineData("http { server { server_name *x; } }", "server name \"*x\" is invalid")]
    [InlineData("http { server { server_name ~; } }", "empty regex in server name \"~\"")]
    public void SharedZonesAndNames_BadArguments_SaysWhatNginxSays(string text, string message) =>
        AssertFirstError(text, message);

    [Theory]
    [InlineData("worker_processes auto;")]
    [InlineData("worker_priority -5; error_log /tmp/e.log debug_http debug_core;")]
    [InlineData("http { ssl_session_cache builtin:1000 shared:SSL:10m; connection_pool_size 512; gzip_disable msie6; }")]
    [InlineData("http { limit_req_zone $a zone=x:10m rate=5; limit_conn_zone $a zone=y:10m; limit_req zone=x burst=5 nodelay; limit_conn y 10; }")]
    [InlineData("http { set_real_ip_from 10.0.0.0/8; set_real_ip_from unix:; log_format x escape=json '$uri'; }")]
    [InlineData("http { server { server_name _ *.a.b .a.b ~^x$ \"\"; } }")]
    public void SharedZonesAndNames_ValidValues_PassQuietly(string text)
    {
        Assert.Null(Bind.FirstError(text));
    }

    [Theory]
    [InlineData("location / { proxy_pass http://a; proxy_redirect default; proxy_redirect http://b/ /; proxy_cookie_path off; }")]
    [InlineData("location / { try_files $uri =404; fastcgi_param X $y if_not_empty; set $x y; proxy_next_upstream http_502 OFF; }")]
    [InlineData("location @x { root /x; } location ~ ^/x { alias /y; }")]
    [InlineData("location / { set $proxy_host x; set $proxy_port 80; proxy_cache_valid any 1m; }")]
    public void ServerDirectives_ValidValues_PassQuietly(string directives)
    {
        Assert.Null(Bind.FirstError($"http {{ server {{ {directives} }} }}"));
    }

    [Theory]
    [InlineData("error_page 404 =200 /x; error_page 301 = /x; error_page 404 =200;")]
    [InlineData("return 999;")]
    [InlineData("return http://a;")]
    [InlineData("return $scheme://x;")]
    [InlineData("return 00200;")]
    [InlineData("expires -1;")]
    [InlineData("expires epoch;")]
    [InlineData("expires modified +1d;")]
    [InlineData("expires @24h;")]
    [InlineData("expires \"1h 30m\";")]
    [InlineData("expires $x;")]
    [InlineData("keepalive_timeout 5ms 70y;")]
    [InlineData("send_timeout \"1 2\";")]
    [InlineData("send_timeout 1s500ms;")]
    [InlineData("send_timeout \"5s \";")]
    [InlineData("client_max_body_size 1g;")]
    [InlineData("allow all; allow unix:; allow 1..2.3; deny ::ffff:1.2.3.4; deny 10.0.0.0/8; limit_except get post { }")]
    [InlineData("open_file_cache off; access_log /tmp/a.log combined buffer=32k flush=1m gzip if=$x;")]
    public void LocationDirectives_ValidValues_PassQuietly(string directives)
    {
        Assert.Null(Bind.FirstError($"http {{ server {{ location / {{ {directives} }} }} }}"));
    }

    [Fact]
    public void Deny_HostBitsPastThePrefix_WarnsLikeNginx()
    {
        var messages = Bind.Messages("http {\n  deny 10.0.0.1/8;\n}");
        Assert.Equal(["[warn] low address bits of 10.0.0.1/8 are meaningless in /t/nginx.conf:2"], messages);
    }

    [Fact]
    public void Index_AbsoluteBeforeLast_WarnsLikeNginx()
    {
        var messages = Bind.Messages("http { index /b c; }");
        Assert.Equal(["[warn] only the last index in \"index\" directive should be absolute in /t/nginx.conf:1"], messages);
    }

    [Theory]
    [InlineData("1y", true, 31_536_000)]
    [InlineData("1M2w", true, 3_801_600)]
    [InlineData("1h30", false, 3_630_000)]
    [InlineData("1s500ms", false, 1_500)]
    [InlineData("1 2", false, 3_000)]
    public void ParseTime_NginxForms_Parse(string text, bool isSec, long value)
    {
        Assert.Equal(NginxValue.TimeResult.Valid, NginxValue.ParseTime(text, isSec, out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData("1y", false)]
    [InlineData("1M", false)]
    [InlineData("500ms", true)]
    [InlineData("1ms1s", false)]
    [InlineData("1d1d", false)]
    [InlineData("", false)]
    [InlineData("5S", false)]
    public void ParseTime_BadForms_Invalid(string text, bool isSec)
    {
        Assert.Equal(NginxValue.TimeResult.Invalid, NginxValue.ParseTime(text, isSec, out _));
    }

    private static void AssertFirstError(string text, string message) =>
        Assert.Equal($"[emerg] {message} in /t/nginx.conf:1", Bind.FirstError(text));
}
