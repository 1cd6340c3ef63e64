using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Upstreams;

/// <summary>
/// A location's <c>proxy_pass</c>: the URL as written, its parsed <see cref="Target"/> (null when it holds variables:
/// then <see cref="Value"/> is evaluated per request and parsed then, and the URI part is used as is), and the matched
/// location's prefix (the part a URI part replaces).
/// </summary>
public sealed record ProxyPass(string Url, ComplexValue Value, ProxyTarget? Target, string LocationPrefix);
