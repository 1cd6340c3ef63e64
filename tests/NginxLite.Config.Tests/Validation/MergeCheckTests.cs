using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Validation;

/// <summary>Merge-time checks (core, referer, proxy/fastcgi/uwsgi/scgi buffers), reported at the http block's closing brace.</summary>
public class MergeCheckTests
{
    private const string File = "/t/nginx.conf";

    [Fact]
    public void BusyBuffersSize_LargerThanAllBuffersButOne_ReportedAtHttpClosingBrace()
    {
        var first = FirstError("""
            events {}
            http {
                server {
                    listen 127.0.0.1:28081;
                    location / {
                        fastcgi_busy_buffers_size 512k;
                    }
                }
            }
            """);
        Assert.Equal($"[emerg] \"fastcgi_busy_buffers_size\" must be less than the size of all \"fastcgi_buffers\" minus one buffer in {File}:9", first);
    }

    [Theory]
    [InlineData("proxy_buffers 1 4k;", "there must be at least 2 \"proxy_buffers\"")]
    [InlineData("proxy_buffer_size 64k;", "\"proxy_busy_buffers_size\" must be less than the size of all \"proxy_buffers\" minus one buffer")]
    [InlineData("uwsgi_busy_buffers_size 1k;", "\"uwsgi_busy_buffers_size\" must be equal to or greater than the maximum of the value of \"uwsgi_buffer_size\" and one of the \"uwsgi_buffers\"")]
    [InlineData("scgi_temp_file_write_size 1k;", "\"scgi_temp_file_write_size\" must be equal to or greater than the maximum of the value of \"scgi_buffer_size\" and one of the \"scgi_buffers\"")]
    [InlineData("scgi_max_temp_file_size 1k;", "\"scgi_max_temp_file_size\" must be equal to zero to disable temporary files usage or must be equal to or greater than the maximum of the value of \"scgi_buffer_size\" and one of the \"scgi_buffers\"")]
    [InlineData("scgi_busy_buffers_size 1k; fastcgi_busy_buffers_size 1k;", "\"fastcgi_busy_buffers_size\" must be equal to or greater than the maximum of the value of \"fastcgi_buffer_size\" and one of the \"fastcgi_buffers\"")]
    public void ServerLevel_BadBuffers_FirstModuleInNginxOrder(string directives, string message)
    {
        var first = FirstError($"events {{}}\nhttp {{\n  server {{ listen 127.0.0.1:28081; {directives} }}\n}}\n");
        Assert.Equal($"[emerg] {message} in {File}:4", first);
    }

    [Theory]
    [InlineData("http {\n  fastcgi_busy_buffers_size 512k;\n}")]
    [InlineData("http {\n  server { listen 8080; scgi_max_temp_file_size 0; uwsgi_buffer_size 16k; uwsgi_busy_buffers_size 16k; }\n}")]
    [InlineData("http {\n  proxy_buffers 16 16k;\n  server { listen 8080; location / { proxy_buffer_size 32k; proxy_busy_buffers_size 64k; } }\n}")]
    public void ConsistentOrServerless_Buffers_PassQuietly(string http)
    {
        Assert.Null(FirstError($"events {{}}\n{http}\n"));
    }

    [Fact]
    public void HttpLevelValue_InheritedByServer_Reported()
    {
        var first = FirstError("events {}\nhttp {\n  fastcgi_busy_buffers_size 512k;\n  server { listen 8080; }\n}\n");
        Assert.Equal($"[emerg] \"fastcgi_busy_buffers_size\" must be less than the size of all \"fastcgi_buffers\" minus one buffer in {File}:5", first);
    }

    [Fact]
    public void LargeClientHeaderBuffers_BelowConnectionPoolSize_CoreMergeReportedFirst()
    {
        var first = FirstError("events {}\nhttp {\n  large_client_header_buffers 4 100;\n  server { listen 8080; fastcgi_busy_buffers_size 1k; }\n}\n");
        Assert.Equal($"[emerg] the \"large_client_header_buffers\" size must be equal to or greater than \"connection_pool_size\" in {File}:5", first);
    }

    [Fact]
    public void ValidReferers_ServerNamesAlsoListed_ConflictWhenHttpCloses()
    {
        var first = FirstError("events {}\nhttp {\n server {\n  server_name A.com;\n  valid_referers server_names a.com;\n }\n}\n");
        Assert.Equal($"[emerg] conflicting parameter \"a.com\" in {File}:7", first);
    }

    [Fact]
    public void Charset_UnknownVariable_Reported()
    {
        var first = FirstError("events {}\nhttp {\n charset $charset;\n}\n");
        Assert.Equal("[emerg] unknown \"charset\" variable", first);
    }

    [Fact]
    public void ProxyCache_ZoneNoCachePathDeclares_UnknownAfterTheBufferChecks()
    {
        var first = FirstError("events {}\nhttp {\n  fastcgi_cache_path /tmp/c keys_zone=F:10m;\n  server { listen 8080; location / { proxy_cache STATIC; fastcgi_cache F; } }\n}\n");
        Assert.Equal($"[emerg] \"proxy_cache\" zone \"STATIC\" is unknown in {File}:5", first);
    }

    private static string? FirstError(string text) =>
        ConfigTest.RunText(text, File, new LoadOptions(), new BindOptions { CheckEnvironment = false, WarnIgnored = false })
            .FirstError?.ToString();
}
