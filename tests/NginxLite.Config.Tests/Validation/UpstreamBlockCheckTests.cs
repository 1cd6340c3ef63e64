using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Validation;

/// <summary>upstream { } blocks: server parameters, balancer parameters, and the blocks nginx refuses to initialise.</summary>
public class UpstreamBlockCheckTests
{
    private const string File = "/t/nginx.conf";

    [Theory]
    [InlineData("server 127.0.0.1:10 weight=0;", "invalid parameter \"weight=0\"")]
    [InlineData("server 127.0.0.1:10 fail_timeout=500ms;", "invalid parameter \"fail_timeout=500ms\"")]
    [InlineData("server 127.0.0.1:10 slow_start=10s;", "invalid parameter \"slow_start=10s\"")]
    [InlineData("server a.invalid foo;", "invalid parameter \"foo\"")]
    [InlineData("ip_hash; server 127.0.0.1:10 backup;", "balancing method does not support parameter \"backup\"")]
    [InlineData("server 127.0.0.1:10; keepalive 0;", "invalid value \"0\" in \"keepalive\" directive")]
    [InlineData("server 127.0.0.1:10; keepalive_timeout 1y;", "\"keepalive_timeout\" directive invalid value")]
    [InlineData("server 127.0.0.1:10; hash $remote_addr foo;", "invalid parameter \"foo\"")]
    [InlineData("server 127.0.0.1:10; random two foo;", "invalid parameter \"foo\"")]
    [InlineData("server 127.0.0.1:10; zone x 1k;", "zone \"x\" is too small")]
    public void UpstreamDirective_BadParameter_SaysWhatNginxSays(string directives, string message)
    {
        Assert.Equal($"[emerg] {message} in {File}:1", FirstError($"events {{}} http {{ upstream u {{ {directives} }} }}"));
    }

    [Fact]
    public void Upstream_NoServers_ReportedAtClosingBrace()
    {
        Assert.Equal($"[emerg] no servers are inside upstream in {File}:5", FirstError("events {}\nhttp {\n upstream u\n {\n }\n}\n"));
    }

    [Fact]
    public void Upstream_OnlyBackupServers_ReportedAtOpeningBraceWhenHttpCloses()
    {
        Assert.Equal(
            $"[emerg] no servers in upstream \"u\" in {File}:4",
            FirstError("events {}\nhttp {\n upstream u\n {\n server 127.0.0.1:1 backup;\n }\n}\n"));
    }

    [Fact]
    public void Upstream_AllParametersValid_PassesQuietly()
    {
        Assert.Null(FirstError(
            "events {} http { upstream u { least_conn; server 127.0.0.1:10 backup; server 127.0.0.1:11 down weight=5 max_fails=0 fail_timeout=30s max_conns=10; keepalive 16; } }"));
    }

    private static string? FirstError(string text) =>
        ConfigTest.RunText(text, File, new LoadOptions(), new BindOptions { CheckEnvironment = false, WarnIgnored = false })
            .FirstError?.ToString();
}
