using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// What the <c>*_pass</c> handlers say while reading the directive: <c>invalid URL prefix</c>, <c>invalid port in upstream "…"</c>,
/// <c>upstream "u" may not have port 8080</c>, and the proxy_pass URI rule for regex, named, <c>if</c> and
/// <c>limit_except</c> locations (ngx_http_proxy_pass).
/// </summary>
public sealed class ProxyPassCheck : IConfigCheck
{
    private const string UriPart =
        "\"proxy_pass\" cannot have URI part in location given by regular expression, or inside named location, " +
        "or inside \"if\" statement, or inside \"limit_except\" block";

    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var upstreams = UpstreamPass.ExplicitUpstreams(http);
            foreach (var pass in UpstreamPass.In(http))
            {
                var d = pass.Directive;
                if (pass.Url is not { } url)
                {
                    scope.Emerg(d, "invalid URL prefix");
                    continue;
                }

                if (url.Error is { } error)
                {
                    scope.Emerg(d, $"{error} in upstream \"{Address(d.Arg(0), url)}\"");
                    continue;
                }

                if (url.Port is { } port && upstreams.Contains(url.Host))
                {
                    scope.Emerg(d, $"upstream \"{url.Host}\" may not have port {port}");
                    continue;
                }

                if (d.Name == "proxy_pass" && url.Uri.Length > 0 && InRegexNamedOrIf(d))
                {
                    scope.Emerg(d, UriPart);
                }
            }
        }
    }

    // nginx quotes u->url: the address after the scheme, without the URI.
    private static string Address(string value, UpstreamUrl url)
    {
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme < 0 ? value : value[(scheme + 3)..];
        return url.Unix || url.Uri.Length == 0 ? rest : rest[..^url.Uri.Length];
    }

    private static bool InRegexNamedOrIf(BoundDirective d)
    {
        if (d.Parent is { Name: "if" or "limit_except" })
        {
            return true;
        }

        var location = ConfigTree.EnclosingLocation(d);
        return location is not null && LocationName.Parse(location).Kind is LocationKind.Regex or LocationKind.Named;
    }
}
