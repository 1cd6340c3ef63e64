using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// A <c>proxy_pass</c>, <c>fastcgi_pass</c>, <c>uwsgi_pass</c>, <c>scgi_pass</c>, <c>grpc_pass</c> or <c>memcached_pass</c>
/// without variables (with variables nginx resolves at request time and checks nothing more at <c>-t</c>).
/// </summary>
/// <param name="Directive">The directive.</param>
/// <param name="Url">The address after any scheme (<c>http://</c>, <c>grpc://</c> …); null when the scheme is wrong.</param>
/// <param name="DefaultPort">The scheme's port, or 0 when the address must carry one (FastCGI, uwsgi …).</param>
internal sealed record UpstreamPass(BoundDirective Directive, UpstreamUrl? Url, int DefaultPort)
{
    private static readonly Dictionary<string, (string Scheme, int Port)[]> Schemes = new(StringComparer.Ordinal)
    {
        ["proxy_pass"] = [("http://", 80), ("https://", 443)],
        ["grpc_pass"] = [("grpc://", 0), ("grpcs://", 0), ("", 0)],
        ["uwsgi_pass"] = [("uwsgi://", 0), ("suwsgi://", 0), ("", 0)],
        ["fastcgi_pass"] = [("", 0)],
        ["scgi_pass"] = [("", 0)],
        ["memcached_pass"] = [("", 0)],
    };

    public static IEnumerable<UpstreamPass> In(BoundDirective http)
    {
        foreach (var d in ConfigTree.All(http))
        {
            if (!Schemes.TryGetValue(d.Name, out var schemes) || d.Arguments.Count != 1 || d.Arg(0).Contains('$', StringComparison.Ordinal))
            {
                continue;
            }

            var value = d.Arg(0);
            var match = schemes.FirstOrDefault(s => value.StartsWith(s.Scheme, StringComparison.OrdinalIgnoreCase));
            yield return match.Scheme is null
                ? new(d, null, 0)
                : new(d, UpstreamUrl.Parse(value[match.Scheme.Length..]), match.Port);
        }
    }

    public static HashSet<string> ExplicitUpstreams(BoundDirective http) =>
        new(ConfigTree.Upstreams(http).Select(u => u.Arg(0)), StringComparer.OrdinalIgnoreCase);
}
