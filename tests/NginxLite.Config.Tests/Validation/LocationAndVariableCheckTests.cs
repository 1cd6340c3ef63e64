using Xunit;

namespace NginxLite.Config.Tests.Validation;

public class LocationAndVariableCheckTests
{
    private const string F = TestTree.File;

    [Fact]
    public void DuplicateLocation_SamePrefixTwice_ReportsSecondAtHttpEnd()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server { listen 127.0.0.1:8081; location / {} location / {} }
            }
            """);
        Assert.Equal([$"[emerg] duplicate location \"/\" in {F}:3"], messages);
    }

    [Fact]
    public void DuplicateLocation_ExactAndPrefixOrNamedOrRegex_NoError()
    {
        var messages = CheckRunner.Run("""
            events {}
            http { server { listen 8081; location = /x {} location /x {} location @n {} location @n {} location ~ a {} location ~ a {} } }
            """);
        Assert.Empty(messages);
    }

    [Fact]
    public void DuplicateLocation_NoRegexAndPlainPrefix_Clash()
    {
        var messages = CheckRunner.Run("""
            events {}
            http { server { listen 8081;
              location ^~ /b {}
              location /b {} } }
            """);
        Assert.Equal([$"[emerg] duplicate location \"/b\" in {F}:4"], messages);
    }

    [Fact]
    public void UnknownVariable_InReturn_ReportedWithoutPosition()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server { listen 127.0.0.1:8081; return 200 $nosuchvar; }
            }
            """);
        Assert.Equal(["[emerg] unknown \"nosuchvar\" variable"], messages);
    }

    [Fact]
    public void UnknownVariable_DefinedLaterByMapSetOrCapture_NoError()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server { listen 8081; location ~ ^/(?<slug>.+)$ { return 200 "$mapped $later $slug $1 ${http_x_y} $cookie_a $Uri"; set $later 1; } }
              map $uri $mapped { default 1; }
            }
            """);
        Assert.Empty(messages);
    }

    [Fact]
    public void UnknownVariable_Several_InOrderOfFirstUse_AfterDirectiveErrors()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              log_format a "$nope1";
              server { listen 8081; return 200 "$nope2 $nope1"; }
              server { listen 8082; return 200 "${x"; }
            }
            """);
        Assert.Equal(
            [
                $"[emerg] the closing bracket in \"x\" variable is missing in {F}:5",
                "[emerg] unknown \"nope1\" variable",
                "[emerg] unknown \"nope2\" variable",
            ],
            messages);
    }

    [Fact]
    public void VariableSyntax_DollarAtEnd_InvalidVariableName()
    {
        var messages = CheckRunner.Run("""
            events {}
            http { server { listen 8081; return 200 "cost $"; } }
            """);
        Assert.Equal([$"[emerg] invalid variable name in {F}:2"], messages);
    }

    [Fact]
    public void DuplicateVariable_MapDefinesBuiltIn_Reported()
    {
        var messages = CheckRunner.Run("""
            events {}
            http { map $uri $https {} server { listen 8081; set $args 1; } }
            """);
        Assert.Equal([$"[emerg] the duplicate \"https\" variable in {F}:2"], messages);
    }

    [Fact]
    public void IfCondition_FourOperands_InvalidConditionOnFirst()
    {
        var messages = CheckRunner.Run("""
            events {}
            http {
              server { listen 127.0.0.1:8081; if ($a $b $c $d) { return 404; } }
            }
            """);
        Assert.Equal([$"[emerg] invalid condition \"$a\" in {F}:3"], messages);
    }

    [Theory]
    [InlineData("($request_method = POST)", null)]
    [InlineData("($uri ~* \\.php$)", null)]
    [InlineData("(!-f $request_filename)", null)]
    [InlineData("($uri)", null)]
    [InlineData("($uri == x)", "unexpected \"==\" in condition")]
    [InlineData("(-z $uri)", "invalid condition \"-z\"")]
    [InlineData("uri)", "invalid condition \"uri)\"")]
    public void IfCondition_Forms_MatchNginx(string condition, string? error)
    {
        var messages = CheckRunner.Run($"events {{}} http {{ server {{ listen 8081; if {condition} {{ return 404; }} }} }}");
        Assert.Equal(error is null ? [] : [$"[emerg] {error} in {F}:1"], messages);
    }

    [Theory]
    [InlineData("proxy_host", null)]
    [InlineData("proxy_port", null)]
    [InlineData("uid_reset", null)]
    [InlineData("uid_set", "the duplicate \"uid_set\" variable")]
    [InlineData("proxy_add_x_forwarded_for", "the duplicate \"proxy_add_x_forwarded_for\" variable")]
    public void Set_BuiltInVariable_OnlyChangeableOnesAccepted(string variable, string? error)
    {
        var messages = CheckRunner.Run($"events {{}} http {{ server {{ listen 8081; location / {{ set ${variable} x; }} }} }}");
        Assert.Equal(error is null ? [] : [$"[emerg] {error} in {F}:1"], messages);
    }
}
