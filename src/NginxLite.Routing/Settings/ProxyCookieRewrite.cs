using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// One <c>proxy_cookie_domain</c> or <c>proxy_cookie_path</c> rule (ngx_http_proxy_rewrite_t): a regex matched against
/// the whole attribute value (which the replacement then replaces), or a complex-value pattern — for a domain, equal to
/// the value without its leading dot, case-insensitively; for a path, a case-sensitive prefix that the replacement
/// replaces.
/// </summary>
public sealed record ProxyCookieRewrite(ComplexValue? Pattern, CompiledRegex? Regex, ComplexValue Replacement);
