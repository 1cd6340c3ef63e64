using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Config.Tests.Binding;

/// <summary>proxy_redirect / proxy_cookie_* may repeat, but not around "off" (outputs checked against nginx 1.22.1).</summary>
public sealed class OffResetDuplicateTests
{
    [Theory]
    [InlineData("proxy_redirect off; proxy_redirect off;", "[emerg] \"proxy_redirect\" directive is duplicate in /tmp/o.conf:3")]
    [InlineData("proxy_redirect off; proxy_redirect default;", "[emerg] \"proxy_redirect\" directive is duplicate in /tmp/o.conf:3")]
    [InlineData("proxy_pass http://127.0.0.1:9; proxy_redirect default; proxy_redirect off;", "[emerg] \"proxy_redirect\" directive is duplicate in /tmp/o.conf:3")]
    [InlineData("proxy_cookie_path off; proxy_cookie_path /a /b;", "[emerg] \"proxy_cookie_path\" directive is duplicate in /tmp/o.conf:3")]
    [InlineData("proxy_cookie_domain a b; proxy_cookie_domain off;", "[emerg] \"proxy_cookie_domain\" directive is duplicate in /tmp/o.conf:3")]
    [InlineData("proxy_cookie_flags off; proxy_cookie_flags a secure;", "[emerg] \"proxy_cookie_flags\" directive is duplicate in /tmp/o.conf:3")]
    [InlineData("proxy_cookie_flags a secure; proxy_cookie_flags off;", "[emerg] \"proxy_cookie_flags\" directive is duplicate in /tmp/o.conf:3")]
    [InlineData("proxy_cookie_flags a secure; proxy_cookie_flags ~^b httponly bogus $host;", "ok")]
    [InlineData("proxy_cookie_domain ~^(?<d>.+)$ $d; proxy_cookie_path ~*^/(.*)$ /x/$1;", "ok")]
    [InlineData("proxy_redirect /a /b; proxy_redirect /c /d;", "ok")]
    public void ListWithOff_Repeated_DuplicateAroundOffOnly(string lines, string expected)
    {
        var text = $"events {{}}\nhttp {{ server {{ listen 127.0.0.1:28093; location / {{\n{lines}\n}} }} }}\n";

        var result = ConfigTest.RunText(text, "/tmp/o.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

        Assert.Equal(expected, result.FirstError?.ToString() ?? "ok");
    }
}
