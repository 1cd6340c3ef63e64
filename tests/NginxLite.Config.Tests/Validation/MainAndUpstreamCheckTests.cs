using Xunit;

namespace NginxLite.Config.Tests.Validation;

public class MainAndUpstreamCheckTests
{
    private const string F = TestTree.File;

    [Fact]
    public void Events_Missing_ReportedLastWithoutPosition()
    {
        var messages = CheckRunner.Run("http {\n  server { listen 8081; return 200 $nosuch; }\n}");
        Assert.Equal(["[emerg] unknown \"nosuch\" variable", "[emerg] no \"events\" section in configuration"], messages);
    }

    [Fact]
    public void User_Unknown_GetpwnamFailed()
    {
        Assert.Equal([$"[emerg] getpwnam(\"nosuchuser\") failed in {F}:1"], CheckRunner.Run("user nosuchuser;\nevents {}"));
    }

    [Fact]
    public void User_GroupDefaultsToUserName_GetgrnamFailed()
    {
        Assert.Equal([$"[emerg] getgrnam(\"nosuchgroup\") failed in {F}:1"], CheckRunner.Run("user root nosuchgroup;\nevents {}"));
        Assert.Empty(CheckRunner.Run("user nosuchuser;\nevents {}", checkEnvironment: false));
    }

    [Fact]
    public void AccessLog_UnknownFormat_Reported()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              access_log /dev/null nosuchfmt;
              access_log /dev/null main;
              log_format main '$remote_addr';
              access_log /dev/null MAIN;
              access_log /dev/null combined;
            }
            """);
        Assert.Equal(
            [$"[emerg] unknown log format \"nosuchfmt\" in {F}:3", $"[emerg] unknown log format \"main\" in {F}:4"],
            messages);
    }

    [Fact]
    public void FastcgiPass_NameWithoutPortOrUpstream_NoPortAtHttpEnd()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server { listen 127.0.0.1:8081; location / { fastcgi_pass php; } }
              server { listen 8082; location / { uwsgi_pass app; } }
              upstream app { server 127.0.0.1:3031; }
            }
            """);
        Assert.Equal([$"[emerg] no port in upstream \"php\" in {F}:3"], messages);
    }

    [Fact]
    public void UpstreamServer_UnresolvableHost_HostNotFoundAtServerLine()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              upstream u { server backend.invalid:8000; }
              server { listen 127.0.0.1:8081; location / { proxy_pass http://u; } location /b { proxy_pass http://b.invalid:80/x; } }
            }
            """);
        Assert.Equal(
            [$"[emerg] host not found in upstream \"backend.invalid:8000\" in {F}:3", $"[emerg] host not found in upstream \"b.invalid\" in {F}:4"],
            messages);
    }

    [Theory]
    [InlineData("location ~ /x { proxy_pass http://127.0.0.1:9/y; }", "\"proxy_pass\" cannot have URI part in location given by regular expression, or inside named location, or inside \"if\" statement, or inside \"limit_except\" block")]
    [InlineData("location / { proxy_pass 127.0.0.1:9; }", "invalid URL prefix")]
    [InlineData("location / { fastcgi_pass 127.0.0.1:YOURFCGIPORTHERE; }", "invalid port in upstream \"127.0.0.1:YOURFCGIPORTHERE\"")]
    [InlineData("location / { proxy_pass http://u:8080; }", "upstream \"u\" may not have port 8080")]
    public void PassDirectives_BadTargets_MatchNginx(string location, string error)
    {
        var messages = CheckRunner.Run($"events {{}} http {{ upstream u {{ server 127.0.0.1:1; }} server {{ listen 8081; {location} }} }}");
        Assert.Equal([$"[emerg] {error} in {F}:1"], messages);
    }

    [Fact]
    public void ProxyPass_UriInRegexLocationWithVariables_Allowed()
    {
        Assert.Empty(CheckRunner.Run("events {} http { server { listen 8081; location ~ /x { proxy_pass http://127.0.0.1:9/$uri; } location @n { proxy_pass http://127.0.0.1:9; } } }"));
    }

    [Fact]
    public void LimitReq_ZoneNeverSized_ZeroSizeZoneAfterEverything()
    {
        var messages = CheckRunner.Run("http { server { listen 8081; location / { limit_req zone=z; } } }\nevents {}");
        Assert.Equal(["[emerg] zero size shared memory zone \"z\""], messages);
    }
}
