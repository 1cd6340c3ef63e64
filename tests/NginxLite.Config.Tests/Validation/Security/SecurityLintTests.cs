using NginxLite.Config.Tests.TestSupport;
using NginxLite.Config.Validation.Security;

namespace NginxLite.Config.Tests.Validation.Security;

/// <summary>Each check on its bad and fixed example, the checks' edges, and the allow comment.</summary>
public sealed class SecurityLintTests
{
    public static TheoryData<string> CheckIds() => [.. SecurityExamples.All.Select(e => e.Check)];

    [Fact]
    public void Examples_EveryCheck_HasOne()
    {
        Assert.Equal(SecurityLint.Checks.Select(c => c.Id).Order(), SecurityExamples.All.Select(e => e.Check).Order());
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Lint_BadExample_ReportsOnlyItsCheck(string check)
    {
        var example = SecurityExamples.All.Single(e => e.Check == check);

        var findings = Lint.Text(SecurityExamples.InServer(example.Bad));

        Assert.Equal([check], Lint.Ids(findings));
        Assert.All(findings, f => Assert.Equal(Lint.FileName, f.Position.File));
        Assert.All(findings, f => Assert.Equal(5, f.Position.Line));
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Lint_FixedExample_Clean(string check)
    {
        var example = SecurityExamples.All.Single(e => e.Check == check);

        var findings = Lint.Text(SecurityExamples.InServer(example.Fixed));

        Assert.Empty(findings);
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Lint_AllowCommentOnTheLine_Silenced(string check)
    {
        var example = SecurityExamples.All.Single(e => e.Check == check);

        var findings = Lint.Text(SecurityExamples.InServer(example.Bad + " # nginxlite: allow " + check));

        Assert.Empty(findings);
    }

    [Fact]
    public void Lint_AllowCommentAboveNamingAnotherCheck_StillReported()
    {
        var text = SecurityExamples.InServer("# nginxlite: allow ssrf\n        location /i { alias /data/i/; }");

        var findings = Lint.Text(text);

        Assert.Equal(["alias-traversal"], Lint.Ids(findings));
    }

    [Fact]
    public void Lint_AllowCommentAlone_OnLineAbove_Silenced()
    {
        var text = SecurityExamples.InServer("# nginxlite: allow alias-traversal, ssrf\n        location /i { alias /data/i/; }");

        Assert.Empty(Lint.Text(text));
    }

    [Fact]
    public void AliasTraversal_AliasWithoutSlash_ReportedAsSiblingReach()
    {
        var findings = Lint.Text(SecurityExamples.InServer("location /i { alias /data/i; }"));

        var finding = Assert.Single(findings);
        Assert.Contains("sibling \"/data/i-x\"", finding.Message);
    }

    [Fact]
    public void AliasTraversal_ExactAndRegexLocations_NotReported()
    {
        var findings = Lint.Text(SecurityExamples.InServer("location = /i { alias /data/i/x; } location ~ ^/r/(.*)$ { alias /data/r/$1; }"));

        Assert.Empty(findings);
    }

    [Fact]
    public void Httpoxy_ParamsFromIncludedFile_ClearedThere_Clean()
    {
        using var dir = new TempFiles();
        var parameters = dir.Write("fastcgi_params", "fastcgi_param QUERY_STRING $query_string;\nfastcgi_param HTTP_PROXY \"\";\n");
        var main = dir.Write("nginx.conf", SecurityExamples.InServer($"location ~ \\.php$ {{ try_files $uri =404; fastcgi_pass 127.0.0.1:9000; include {parameters}; }}"));

        Assert.Empty(Lint.File(main));
    }

    [Fact]
    public void Httpoxy_ServerLevelParamsOverriddenInLocation_Reported()
    {
        // fastcgi_param is an array directive: one in the location drops the server's HTTP_PROXY "".
        var text = SecurityExamples.InServer("fastcgi_param HTTP_PROXY \"\"; location ~ \\.php$ { try_files $uri =404; fastcgi_pass 127.0.0.1:9000; fastcgi_param SCRIPT_NAME $fastcgi_script_name; }");

        Assert.Equal(["httpoxy"], Lint.Ids(Lint.Text(text)));
    }

    [Fact]
    public void Httpoxy_HeadersNotPassed_Clean()
    {
        var text = SecurityExamples.InServer("location /u { uwsgi_pass 127.0.0.1:3031; uwsgi_pass_request_headers off; }");

        Assert.Empty(Lint.Text(text));
    }

    [Fact]
    public void Httpoxy_NginxLiteCgiAndAppPassAndProxy_Clean()
    {
        // NginxLite's CGI handler and app workers never pass Proxy (CgiEnvironment.HeaderVariable); proxy_pass
        // forwards it as a header, not as a variable.
        var text = SecurityExamples.InServer("location /cgi-bin/ { cgi on; } location /app { app_pass shop; } location /p { proxy_pass http://127.0.0.1:8000; }");

        Assert.Empty(Lint.Text(text));
    }

    [Fact]
    public void PhpPathInfo_SplitPathInfoWithScriptNameGuard_Clean()
    {
        var text = SecurityExamples.InServer("location ~ [^/]\\.php(/|$) { fastcgi_split_path_info ^(.+?\\.php)(/.*)$; try_files $fastcgi_script_name =404; fastcgi_pass 127.0.0.1:9000; fastcgi_param HTTP_PROXY \"\"; }");

        Assert.Empty(Lint.Text(text));
    }

    [Fact]
    public void PhpPathInfo_FallbackTryFiles_StillReported()
    {
        var text = SecurityExamples.InServer("location ~ \\.php$ { try_files $uri /index.php; fastcgi_pass 127.0.0.1:9000; fastcgi_param HTTP_PROXY \"\"; }");

        Assert.Equal(["php-path-info"], Lint.Ids(Lint.Text(text)));
    }

    [Fact]
    public void AutoindexRoot_InheritedRootFromServer_Reported()
    {
        var text = SecurityExamples.InServer("root /home; location /pub/ { autoindex on; }");

        var finding = Assert.Single(Lint.Text(text));
        Assert.Equal("autoindex-root", finding.Check);
        Assert.Contains("\"/home\"", finding.Message);
    }

    [Fact]
    public void RootUser_MainUserAndAppUser_Reported()
    {
        var text = "user root;\nevents {}\nhttp {\n    app shop {\n        module shop:app;\n        user root;\n    }\n}\n";

        var findings = Lint.Text(text);

        Assert.Equal([1, 6], findings.Select(f => f.Position.Line));
        Assert.Contains("app \"shop\"", findings[1].Message);
    }

    [Fact]
    public void HostSpoofing_RedirectToHttpHost_Reported()
    {
        var findings = Lint.Text(SecurityExamples.InServer("return 301 https://$http_host$request_uri;"));

        Assert.Equal(["host-spoofing"], Lint.Ids(findings));
    }

    [Fact]
    public void HttpSplitting_RewriteOwnCapture_Clean_OtherUriReported()
    {
        // nginx escapes a rewrite's own captures in a redirect; $uri is copied as decoded.
        Assert.Empty(Lint.Text(SecurityExamples.InServer("rewrite ^/old/(.*)$ https://new.example/$1 redirect;")));
        Assert.Equal(["http-splitting"], Lint.Ids(Lint.Text(SecurityExamples.InServer("rewrite ^/old/ https://new.example$uri redirect;"))));
    }

    [Fact]
    public void HttpSplitting_InternalRewrite_NotAHeader_Clean()
    {
        // No http:// prefix and no redirect flag: nginx only changes the URI (corpus: mailman "rewrite ^ /mailman$uri?$args").
        Assert.Empty(Lint.Text(SecurityExamples.InServer("location / { rewrite ^ /mailman$uri?$args; }")));
        Assert.Equal(["http-splitting"], Lint.Ids(Lint.Text(SecurityExamples.InServer("location / { rewrite ^ /new$uri redirect; }"))));
    }

    [Fact]
    public void HttpSplitting_ReturnBody_NotAHeader_Clean()
    {
        Assert.Empty(Lint.Text(SecurityExamples.InServer("return 200 $uri;")));
    }

    [Fact]
    public void Origins_ValidReferersAnchoredEscaped_Clean()
    {
        Assert.Empty(Lint.Text(SecurityExamples.InServer("valid_referers server_names ~^(www\\.)?example\\.com/;")));
    }

    [Fact]
    public void Origins_HttpsOnlyOption_FlagsOptionalS()
    {
        var options = new SecurityLintOptions { OriginHttpsOnly = true };
        var text = SecurityExamples.InServer("location / { if ($http_origin !~ '^https?://example\\.com/') { return 403; } }");

        Assert.Equal(["origins"], Lint.Ids(Lint.Text(text, options)));
        Assert.Empty(Lint.Text(text));
    }

    [Fact]
    public void Lint_FindingsAcrossIncludes_InProcessingOrderWithRealFileLine()
    {
        using var dir = new TempFiles();
        var site = dir.Write("a-site.conf", "server {\n    location /i { alias /data/i/; }\n}\n");
        var main = dir.Write("z-main.conf", $"user root;\nevents {{}}\nhttp {{\n    include {site};\n    server_tokens on;\n}}\n");

        var findings = Lint.File(main);

        Assert.Equal(["root-user", "alias-traversal", "server-tokens"], findings.Select(f => f.Check));
        Assert.Equal($"{site}:2", findings[1].Position.ToString());
        Assert.Equal($"{main}:5", findings[2].Position.ToString());
    }

    [Fact]
    public void Lint_AfterSyntaxError_OnlyTreeBeforeItSeen()
    {
        var findings = Lint.Text("events {}\nhttp {\n    server_tokens on;\n    server {\n");

        Assert.Equal(["server-tokens"], Lint.Ids(findings));
    }

    [Fact]
    public void DocsPage_EveryCheck_HasSectionWithBadFixedAndAllow()
    {
        var doc = File.ReadAllText(System.IO.Path.Combine(Corpus.RepoRoot, "docs", "security-lint.md"));

        foreach (var (check, bad, good) in SecurityExamples.All)
        {
            Assert.Contains($"## `{check}`", doc);
            Assert.Contains(bad, doc);
            Assert.Contains(good, doc);
        }
    }
}
