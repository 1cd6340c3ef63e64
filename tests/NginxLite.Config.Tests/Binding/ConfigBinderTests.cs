using NginxLite.Config.Directives;
using NginxLite.Config.Tests.TestSupport;

namespace NginxLite.Config.Tests.Binding;

public class ConfigBinderTests
{
    [Fact]
    public void Bind_UnknownDirective_SaysUnknown()
    {
        Assert.Equal("[emerg] unknown directive \"foo\" in /t/nginx.conf:2", Bind.FirstError("events {}\nfoo bar;"));
    }

    [Fact]
    public void Bind_ServerInMain_SaysNotAllowedHere()
    {
        Assert.Equal("[emerg] \"server\" directive is not allowed here in /t/nginx.conf:1", Bind.FirstError("server { }\nevents {}"));
    }

    [Fact]
    public void Bind_ProxyPassInHttp_SaysNotAllowedHere()
    {
        Assert.Equal("[emerg] \"proxy_pass\" directive is not allowed here in /t/nginx.conf:1",
            Bind.FirstError("http { proxy_pass http://x; }"));
    }

    [Fact]
    public void Bind_SimpleDirectiveWithBlock_SaysNotTerminated()
    {
        Assert.Equal("[emerg] directive \"user\" is not terminated by \";\" in /t/nginx.conf:1", Bind.FirstError("user www-data { }"));
    }

    [Fact]
    public void Bind_BlockDirectiveWithSemicolon_SaysNoOpeningBrace()
    {
        Assert.Equal("[emerg] directive \"events\" has no opening \"{\" in /t/nginx.conf:1", Bind.FirstError("events;"));
    }

    [Theory]
    [InlineData("http { server { rewrite ^; } }", "rewrite")]
    [InlineData("http { sendfile; }", "sendfile")]
    [InlineData("http { sendfile on off; }", "sendfile")]
    [InlineData("events { } http { server { location { } } }", "location")]
    [InlineData("events x { }", "events")]
    public void Bind_WrongArgumentCount_SaysInvalidNumber(string text, string name)
    {
        Assert.Equal($"[emerg] invalid number of arguments in \"{name}\" directive in /t/nginx.conf:1", Bind.FirstError(text));
    }

    [Fact]
    public void Bind_UnsupportedDirective_NamesItAndTheNote()
    {
        var error = Bind.FirstError("http { perl_modules /x; }");
        Assert.StartsWith("[emerg] \"perl_modules\" directive is not supported by NginxLite (embedded Perl", error);
    }

    [Fact]
    public void Bind_IgnoredDirective_WarnsWhenAsked()
    {
        var messages = Bind.Messages("worker_processes 4;", new() { WarnIgnored = true });
        var warn = Assert.Single(messages);
        Assert.StartsWith("[warn] \"worker_processes\" directive is ignored by NginxLite: ", warn);
    }

    [Fact]
    public void Bind_DuplicateUser_MatchesNginxCase11()
    {
        var text = File.ReadAllText(Corpus.Path("nginx-t-cases/11-duplicate-directive.conf"));
        Assert.Equal("[emerg] \"user\" directive is duplicate in /t/nginx.conf:2", Bind.FirstError(text));
    }

    [Fact]
    public void Bind_AliasAfterRoot_NamesTheEarlierOne()
    {
        Assert.Equal(
            "[emerg] \"alias\" directive is duplicate, \"root\" directive was specified earlier in /t/nginx.conf:1",
            Bind.FirstError("http { server { location /x { root /tmp; alias /tmp/; } } }"));
    }

    [Fact]
    public void Bind_RootAfterAlias_NamesTheEarlierOne()
    {
        Assert.Equal(
            "[emerg] \"root\" directive is duplicate, \"alias\" directive was specified earlier in /t/nginx.conf:1",
            Bind.FirstError("http { server { location /x { alias /tmp/; root /tmp; } } }"));
    }

    [Fact]
    public void Bind_SameDirectiveAtServerAndLocation_IsNotDuplicate()
    {
        Assert.Null(Bind.FirstError("""
            events {}
            http {
                root /a;
                server { root /b; location / { root /c; if ($x) { root /d; } } location /y { root /e; } }
            }
            """));
    }

    [Fact]
    public void Bind_MultipleDirectives_RepeatFreely()
    {
        Assert.Null(Bind.FirstError("""
            http { server {
                listen 80; listen 443 ssl; server_name a; server_name b;
                add_header A b; add_header C d; location / { return 200; return 301 /x; rewrite ^ /a; rewrite ^ /b; }
                location /z { }
            } }
            """));
    }

    [Fact]
    public void Bind_TryFilesTwice_IsDuplicate()
    {
        Assert.Equal("[emerg] \"try_files\" directive is duplicate in /t/nginx.conf:1",
            Bind.FirstError("http { server { location / { try_files $uri =404; try_files $uri =404; } } }"));
    }

    [Fact]
    public void Bind_EventsTwice_IsDuplicate()
    {
        Assert.Equal("[emerg] \"events\" directive is duplicate in /t/nginx.conf:2", Bind.FirstError("events {}\nevents {}"));
    }

    [Fact]
    public void Bind_Contexts_FollowNginxBlocks()
    {
        var (config, messages) = Bind.Text("""
            events { worker_connections 10; }
            http {
                types { text/html html; }
                upstream u { server 127.0.0.1:9000; keepalive 8; }
                server {
                    if ($x) { return 404; }
                    location / { if ($y) { set $a 1; } limit_except GET { deny all; } location /n { } }
                }
                app shop { module shop.wsgi:app; processes 4; }
            }
            """);
        Assert.Empty(messages);
        var http = config.Root.ChildrenNamed("http").Single();
        Assert.Equal(DirectiveContext.FreeForm, http.ChildrenNamed("types").Single().Children.Single().Context);
        Assert.Null(http.ChildrenNamed("types").Single().Children.Single().Spec);
        Assert.Equal(DirectiveContext.Upstream, http.ChildrenNamed("upstream").Single().Children[0].Context);
        Assert.Equal("ngx_http_upstream_module", http.ChildrenNamed("upstream").Single().Children[0].Spec!.Module);
        var server = http.ChildrenNamed("server").Single();
        Assert.Equal(DirectiveContext.ServerIf, server.ChildrenNamed("if").Single().Children.Single().Context);
        var location = server.ChildrenNamed("location").Single();
        Assert.Equal(DirectiveContext.LocationIf, location.ChildrenNamed("if").Single().Children.Single().Context);
        Assert.Equal(DirectiveContext.LimitExcept, location.ChildrenNamed("limit_except").Single().Children.Single().Context);
        Assert.Equal(DirectiveContext.Location, location.ChildrenNamed("location").Single().Context);
        Assert.Equal(DirectiveContext.App, http.ChildrenNamed("app").Single().Children[0].Context);
    }

    [Fact]
    public void Bind_LocationInsideIf_IsNotAllowed()
    {
        Assert.Equal("[emerg] \"location\" directive is not allowed here in /t/nginx.conf:1",
            Bind.FirstError("http { server { location / { if ($x) { location /y { } } } } }"));
    }

    [Fact]
    public void Bind_UnknownBlock_DoesNotReportItsChildren()
    {
        var messages = Bind.Messages("http { foo { bar; baz; } }");
        Assert.Equal(["[emerg] unknown directive \"foo\" in /t/nginx.conf:1"], messages);
    }

    [Fact]
    public void Bind_CollectsEveryError_InNginxOrder()
    {
        var messages = Bind.Messages("foo;\nevents { use kqueue; }\nhttp { sendfile yes; }");
        Assert.Equal(
            [
                "[emerg] unknown directive \"foo\" in /t/nginx.conf:1",
                "[emerg] invalid event type \"kqueue\" in /t/nginx.conf:2",
                "[emerg] invalid value \"yes\" in \"sendfile\" directive, it must be \"on\" or \"off\" in /t/nginx.conf:3",
            ],
            messages);
    }

    [Fact]
    public void Bind_MailBlock_UnsupportedOnceNotItsChildren()
    {
        var messages = Bind.Messages("mail { server { listen 143; protocol imap; } }", new() { WarnIgnored = true });
        Assert.Single(messages);
        Assert.StartsWith("[emerg] \"mail\" directive is not supported by NginxLite (the mail (IMAP/POP3/SMTP) proxy", messages[0]);
    }
}
