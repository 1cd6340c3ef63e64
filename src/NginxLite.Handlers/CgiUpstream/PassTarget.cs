using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// A <c>*_pass</c> target as evaluated for one request: the address or upstream name, nginx's schema for the error
/// log's <c>upstream: "…"</c> part ("fastcgi://", "uwsgi://", "suwsgi://"), and the TLS settings when the upstream
/// is spoken to over TLS (<c>uwsgi_pass suwsgi://…</c>; null for plain ones).
/// </summary>
internal readonly record struct PassTarget(string Address, string Scheme, UpstreamSslSettings? Ssl);
