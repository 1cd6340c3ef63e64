using NginxLite.Routing.Rewrite;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Tests;

public class RewriteTests
{
    private static RewriteResult Run(string serverBody, TestState state) => RouteFixture.Server(serverBody).Program.Run(state);

    [Fact]
    public void Rewrite_Captures_ReplaceUri()
    {
        var state = new TestState { Uri = "/old/42" };
        var result = Run("rewrite ^/old/(\\d+)$ /new/$1;", state);
        Assert.Equal(RewriteAction.Continue, result.Action);
        Assert.Equal("/new/42", state.Uri);
    }

    [Fact]
    public void Rewrite_QuestionMark_ReplacesArgsAndKeepsOld()
    {
        var state = new TestState { Uri = "/a", Args = "x=1" };
        Run("rewrite ^/a$ /b?y=2 last;", state);
        Assert.Equal(("/b", "y=2&x=1"), (state.Uri, state.Args));
    }

    [Fact]
    public void Rewrite_TrailingQuestionMark_DropsOldArgs()
    {
        var state = new TestState { Uri = "/a", Args = "x=1" };
        var result = Run("rewrite ^/a$ /b? last;", state);
        Assert.Equal(RewriteAction.Last, result.Action);
        Assert.Equal(("/b", ""), (state.Uri, state.Args));
    }

    [Fact]
    public void Rewrite_Permanent_Returns301WithArgs()
    {
        var state = new TestState { Uri = "/a", Args = "x=1" };
        var result = Run("rewrite ^/a$ /b permanent;", state);
        Assert.Equal((RewriteAction.Return, 301, "/b?x=1"), (result.Action, result.Status, result.Text));
    }

    [Fact]
    public void Rewrite_AbsoluteUrlWithoutFlag_Redirects302()
    {
        var state = new TestState { Uri = "/a" };
        var result = Run("rewrite ^ http://other.test/;", state);
        Assert.Equal((RewriteAction.Return, 302, "http://other.test/"), (result.Action, result.Status, result.Text));
    }

    [Fact]
    public void Return_TextWithVariables_IsEvaluated()
    {
        var state = new TestState { Uri = "/p" };
        var result = Run("set $who world; return 200 \"hello $who $uri\";", state);
        Assert.Equal((200, "hello world /p"), (result.Status, result.Text));
    }

    [Fact]
    public void Return_UrlOnly_Is302()
    {
        var result = Run("return https://x.test$request_uri;", new TestState { Values = { ["request_uri"] = "/q?a" } });
        Assert.Equal((302, "https://x.test/q?a"), (result.Status, result.Text));
    }

    [Theory]
    [InlineData("if ($arg_a) { return 201; }", "1", 201)]
    [InlineData("if ($arg_a) { return 201; }", "0", 0)]
    [InlineData("if ($arg_a = yes) { return 202; }", "yes", 202)]
    [InlineData("if ($arg_a != yes) { return 203; }", "no", 203)]
    [InlineData("if ($arg_a ~ ^y(e)s$) { return 204 $1; }", "yes", 204)]
    [InlineData("if ($arg_a ~* ^YES$) { return 205; }", "yes", 205)]
    [InlineData("if ($arg_a !~ ^yes$) { return 206; }", "no", 206)]
    [InlineData("if (-d /tmp) { return 207; }", "", 207)]
    [InlineData("if (!-f /nonexistent) { return 208; }", "", 208)]
    [InlineData("if (-e /tmp) { return 209; }", "", 209)]
    public void If_Conditions_BehaveAsNginx(string body, string arg, int status)
    {
        var state = new TestState();
        state.Values["arg:a"] = arg;
        var result = Run(body, state);
        Assert.Equal(status, result.Action == RewriteAction.Return ? result.Status : 0);
    }

    [Fact]
    public void Break_StopsLaterDirectives()
    {
        var result = Run("break; return 500;", new TestState());
        Assert.Equal(RewriteAction.Break, result.Action);
    }

    [Fact]
    public void ComplexValue_BracesAndCaptures_Evaluate()
    {
        var table = new VariableTable();
        var value = ComplexValue.Parse("${uri}x-$1-$http_user_agent", table);
        var state = new TestState { Uri = "/u" };
        state.Values["http:user-agent"] = "curl";
        state.Captures = System.Text.RegularExpressions.Regex.Match("ab", "(b)");
        Assert.Equal("/ux-b-curl", value.Evaluate(state));
        Assert.False(value.IsLiteral);
    }

    [Fact]
    public void Settings_AddHeader_InheritOnlyWhenLevelHasNone()
    {
        var server = RouteFixture.Server("""
            add_header X-Server 1;
            location /a { }
            location /b { add_header X-B 2; }
            """);
        var state = new TestState();
        server.Locations.Find("/a", state, out var a);
        server.Locations.Find("/b", state, out var b);
        Assert.Equal(["X-Server"], a!.Settings.AddHeaders.Select(h => h.Name));
        Assert.Equal(["X-B"], b!.Settings.AddHeaders.Select(h => h.Name));
    }

    [Fact]
    public void Settings_RootDeclaredAfterLocation_IsStillInherited()
    {
        var server = RouteFixture.Server("location /a { }\nroot /srv/www/;");
        server.Locations.Find("/a", new TestState(), out var a);
        Assert.Equal("/srv/www", a!.Settings.Root.Source);
    }

    [Fact]
    public void Settings_NoRoot_IsHtmlUnderThePrefix()
    {
        var server = RouteFixture.Server("location /a { }");
        server.Locations.Find("/a", new TestState(), out var a);
        Assert.Equal("/tmp/nginxlite-routing-tests/html", a!.Settings.Root.Source);
        Assert.Equal("/tmp/nginxlite-routing-tests/html", server.Settings.Root.Source);
    }
}
