using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>
    /// proxy_cookie_domain / proxy_cookie_path (ngx_http_proxy_cookie_domain/path): several lines of one level add up
    /// in file order, a level with none inherits its parent's (ngx_conf_merge_ptr_value), <c>off</c> clears them.
    /// A domain pattern or replacement loses its leading dot; the regex form is <see cref="ProxyRewriteRegex"/>'s.
    /// </summary>
    private ProxyCookieRewrite[] CookieRewrites(BoundDirective d, ProxyCookieRewrite[] inherited, bool first)
    {
        if (d.Arg(0) == "off" || d.Arguments.Count < 2)
        {
            return [];
        }

        var domain = d.Name == "proxy_cookie_domain";
        var from = d.Arg(0);
        var to = d.Arg(1);
        ProxyCookieRewrite rule;
        if (ProxyRewriteRegex.TryParse(d.Name, from, out var pattern, out var ignoreCase))
        {
            rule = new ProxyCookieRewrite(null, new CompiledRegex(pattern, ignoreCase, _variables), ComplexValue.Parse(to, _variables));
        }
        else
        {
            if (domain)
            {
                from = from.StartsWith('.') ? from[1..] : from;
                to = to.StartsWith('.') ? to[1..] : to;
            }

            rule = new ProxyCookieRewrite(ComplexValue.Parse(from, _variables), null, ComplexValue.Parse(to, _variables));
        }

        return [.. first ? [] : inherited, rule];
    }

    /// <summary>proxy_cookie_flags (ngx_http_proxy_cookie_flags): the same inheritance; the cookie is a name or a
    /// <c>~regex</c> (<see cref="ProxyRewriteRegex"/>).</summary>
    private ProxyCookieFlags[] CookieFlagRules(BoundDirective d, ProxyCookieFlags[] inherited, bool first)
    {
        if (d.Arg(0) == "off" || d.Arguments.Count < 2)
        {
            return [];
        }

        var cookie = d.Arg(0);
        var flags = d.Arguments.Skip(1).Select(a => ComplexValue.Parse(a.Value, _variables)).ToArray();
        var rule = ProxyRewriteRegex.TryParse(d.Name, cookie, out var pattern, out var ignoreCase)
            ? new ProxyCookieFlags(null, new CompiledRegex(pattern, ignoreCase, _variables), flags)
            : new ProxyCookieFlags(ComplexValue.Parse(cookie, _variables), null, flags);
        return [.. first ? [] : inherited, rule];
    }
}
