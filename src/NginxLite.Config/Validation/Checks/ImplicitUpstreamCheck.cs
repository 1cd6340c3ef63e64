using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// A <c>*_pass</c> to an address that is not an <c>upstream { }</c> name makes an implicit upstream, which nginx
/// initialises when http { } is closed (ngx_http_upstream_init_round_robin): <c>no port in upstream "php"</c>, or
/// <c>host not found in upstream "a.invalid"</c>, at the position of the first directive that named it.
/// </summary>
public sealed class ImplicitUpstreamCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var upstreams = UpstreamPass.ExplicitUpstreams(http);
            var seen = new HashSet<(string Host, int Port)>();
            foreach (var pass in UpstreamPass.In(http))
            {
                if (pass.Url is not { Error: null, Unix: false } url || upstreams.Contains(url.Host))
                {
                    continue;
                }

                var port = url.Port ?? pass.DefaultPort;
                if (!seen.Add((url.Host.ToLowerInvariant(), port)))
                {
                    continue;
                }

                if (port == 0)
                {
                    scope.Emerg($"no port in upstream \"{url.Host}\"", pass.Directive.Position, http.EndOrdinal);
                }
                else if (HostResolver.Resolve(url.Host).Length == 0)
                {
                    scope.Emerg($"host not found in upstream \"{url.Host}\"", pass.Directive.Position, http.EndOrdinal);
                }
            }
        }
    }
}
