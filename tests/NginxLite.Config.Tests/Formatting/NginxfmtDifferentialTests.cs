using NginxLite.Config.Formatting;
using NginxLite.Config.Tests.Syntax;

namespace NginxLite.Config.Tests.Formatting;

/// <summary>
/// nginx-config-formatter's own cases (slomkowski/nginx-config-formatter, test_nginxfmt.py, Apache-2.0), input and
/// the output nginxfmt expects, where our layout rules agree with it. Left out, on purpose: keeping two blank lines
/// after <c>{</c> (we keep at most one blank line, and none right after <c>{</c>), collapsing <c>${ dol }</c> (that
/// changes the words nginx reads), test_issue_9 (its input is not valid nginx: a quote closes right before
/// <c>"</c>, which nginx rejects as <c>unexpected """</c>), and its helper-function tests (no such functions here).
/// </summary>
public class NginxfmtDifferentialTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "test_umlaut_in_string",
            "# Statusseite für Monitoring freigeben \n# line above contains german umlaut causing problems \nlocation /nginx_status {\n    stub_status on;\n  access_log off;\n  allow 127.0.0.1;\n    deny all;\n}",
            "# Statusseite für Monitoring freigeben\n# line above contains german umlaut causing problems\nlocation /nginx_status {\n    stub_status on;\n    access_log off;\n    allow 127.0.0.1;\n    deny all;\n}\n"
        },
        { "test_empty_lines_removal_1", "\n  foo bar {\n       lorem ipsum;\n}\n\n\n", "foo bar {\n    lorem ipsum;\n}\n" },
        { "test_empty_lines_removal_3", "  foo bar {\n       lorem ipsum;\n kee {\ncaak;  \n}}", "foo bar {\n    lorem ipsum;\n    kee {\n        caak;\n    }\n}\n" },
        {
            "test_template_variables_with_dollars1",
            "server {\n   # commented ${line} should not be touched\nlisten 80 default_server;\nserver_name localhost;\nlocation / {\nproxy_set_header X-User-Auth \"In ${cookie_access_token} ${ other}\";\nproxy_set_header X-User-Other \"foo ${bar}\";\n}\n}",
            "server {\n    # commented ${line} should not be touched\n    listen 80 default_server;\n    server_name localhost;\n    location / {\n        proxy_set_header X-User-Auth \"In ${cookie_access_token} ${ other}\";\n        proxy_set_header X-User-Other \"foo ${bar}\";\n    }\n}\n"
        },
        {
            "test_template_variables_with_dollars2",
            " some_tag { with_templates \"my ${var} and other ${ invalid_variable_use   }  \"; }\n# in my line\n",
            "some_tag {\n    with_templates \"my ${var} and other ${ invalid_variable_use   }  \";\n}\n# in my line\n"
        },
        { "test_backslash3", "location ~ /\\.ht {\ndeny all;\n}", "location ~ /\\.ht {\n    deny all;\n}\n" },
        {
            "test_backslash2",
            " tag { wt  ~  /\\.ht \t \"my ${some some} and  ~  /\\.ht \tother ${comething in  curly braces  }  \"; }\n# in my line\n",
            "tag {\n    wt ~ /\\.ht \"my ${some some} and  ~  /\\.ht \tother ${comething in  curly braces  }  \";\n}\n# in my line\n"
        },
        {
            "test_multi_semicolon",
            "location /a { \nallow   127.0.0.1; allow  10.0.0.0/8; deny all; \n}\n",
            "location /a {\n    allow 127.0.0.1;\n    allow 10.0.0.0/8;\n    deny all;\n}\n"
        },
        {
            "test_quotes1",
            "add_header Alt-Svc 'h3-25=\":443\"; ma=86400'; add_header Alt-Svc 'h3-29=\":443\"; ma=86400';",
            "add_header Alt-Svc 'h3-25=\":443\"; ma=86400';\nadd_header Alt-Svc 'h3-29=\":443\"; ma=86400';\n"
        },
        {
            "test_quotes2",
            "add_header Alt-Svc \"h3-23=':443'; ma=86400\"; add_header Alt-Svc 'h3-29=\":443\"; ma=86400';",
            "add_header Alt-Svc \"h3-23=':443'; ma=86400\";\nadd_header Alt-Svc 'h3-29=\":443\"; ma=86400';\n"
        },
        {
            "test_issue_15",
            "section { server_name \"~^(?<tag>[0-9a-f]{8}\\-[0-9a-f]{4}\\-[0-9a-f]{4}\\-[0-9a-f]{4}\\-[0-9a-f]{12})\\.a\\.b\\.com$\"; }",
            "section {\n    server_name \"~^(?<tag>[0-9a-f]{8}\\-[0-9a-f]{4}\\-[0-9a-f]{4}\\-[0-9a-f]{4}\\-[0-9a-f]{12})\\.a\\.b\\.com$\";\n}\n"
        },
        { "test_issue_11_1", "   #   3 spaces\n#  2 spaces\n        # 1 space", "#   3 spaces\n#  2 spaces\n# 1 space\n" },
        {
            "test_issue_11_2",
            "        #if (!-f $request_filename) {\n            #  rewrite ^/static/?(.*)$ /static.php?resource=$1 last;   \n        #",
            "#if (!-f $request_filename) {\n#  rewrite ^/static/?(.*)$ /static.php?resource=$1 last;\n#\n"
        },
        {
            "test_issue_20_1",
            "# comment 1\ntag {\n    # comment 2\n    code;\n    #     comment 3\n    subtag {\n        code;\n        #  comment 4\n        #\n    }\n    #  comment 5\n}\n",
            "# comment 1\ntag {\n    # comment 2\n    code;\n    #     comment 3\n    subtag {\n        code;\n        #  comment 4\n        #\n    }\n    #  comment 5\n}\n"
        },
        {
            "test_issue_20_2",
            "location /nginx_status {\n# Don't break \n    stub_status on;\n  access_log off;\n  allow 127.0.0.1;\n      deny all;\n}",
            "location /nginx_status {\n    # Don't break\n    stub_status on;\n    access_log off;\n    allow 127.0.0.1;\n    deny all;\n}\n"
        },
        { "test_issue_16", "location /example { allow 192.168.0.0/16; deny all; }", "location /example {\n    allow 192.168.0.0/16;\n    deny all;\n}\n" },
        { "test_crlf_1", "location /example \r\n{\r\nallow 192.168.0.0/16; deny all;\r\n}\n", "location /example {\n    allow 192.168.0.0/16;\n    deny all;\n}\n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Format_NginxfmtCase_MatchesNginxfmtOutput(string name, string input, string expected)
    {
        Assert.True(ConfigFormatter.TryFormat(input, out var formatted, out var error), $"{name}: {error}");
        Assert.Equal(expected, formatted);
    }

    /// <summary>nginxfmt's test-files (in the shared corpus): its standalone test expects 5 lines from
    /// not-formatted-1.conf; the umlaut files are already in its layout, so they come back byte for byte (Latin-1 too).</summary>
    [Theory]
    [InlineData("not-formatted-1.conf", 5, false)]
    [InlineData("umlaut-utf8.conf", 20, true)]
    [InlineData("umlaut-latin1.conf", 20, true)]
    public void Format_NginxfmtTestFile_AsNginxfmt(string name, int lines, bool unchanged)
    {
        var path = Path.Combine(SyntaxTestSupport.SharedDirectory(), "corpus", "nginx", "nginx-config-formatter", "test-files", name);
        var content = File.ReadAllBytes(path);
        Assert.True(ConfigFormatter.TryFormat(content, out var formatted, out var error), error?.ToString());
        Assert.Equal(lines, formatted.Count(b => b == (byte)'\n'));
        Assert.DoesNotContain((byte)'\r', formatted);
        Assert.Equal(unchanged, content.AsSpan().SequenceEqual(formatted));
    }
}
