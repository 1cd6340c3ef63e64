using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// One <c>proxy_cookie_flags</c> rule (ngx_http_proxy_cookie_flags_t): the cookie, by name (a complex value, compared
/// case-insensitively) or by a case-insensitive regex, and its flags, each a complex value evaluated per response
/// (nginx checks flag names only then: an unknown one is skipped).
/// </summary>
public sealed record ProxyCookieFlags(ComplexValue? Name, CompiledRegex? Regex, ComplexValue[] Flags);
