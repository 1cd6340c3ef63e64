using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// A <c>*_pass</c> to an address that is not an <c>upstream { }</c> name makes an implicit upstream, which nginx
/// initialises when http { } is closed (ngx_http_upstream_init_round_robin): <c>no port in upstream "php"</c>, or
/// <c>host not found in upstream "a.invalid"</c>, at the position of the first directive that named it. An explicit
/// upstream with only backup servers fails there too: <c>no servers in upstream "u"</c>.
/// </summary>
public sealed class ImplicitUpstreamCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            // ngx_http_upstream_init_main_conf walks the upstreams in the order they were created.
            var errors = new List<(int Created, string Message, SourcePosition Position)>();
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
                    errors.Add((pass.Directive.Ordinal, $"no port in upstream \"{url.Host}\"", pass.Directive.Position));
                }
                else if (HostResolver.Resolve(url.Host).Length == 0)
                {
                    errors.Add((pass.Directive.Ordinal, $"host not found in upstream \"{url.Host}\"", pass.Directive.Position));
                }
            }

            // Only backup servers: ngx_http_upstream_init_round_robin names the upstream at the line of its "{".
            foreach (var upstream in ConfigTree.Upstreams(http))
            {
                var servers = upstream.ChildrenNamed("server").ToList();
                if (servers.Count > 0 && servers.All(s => s.Arguments.Skip(1).Any(a => a.Value == "backup")))
                {
                    errors.Add((upstream.Ordinal, $"no servers in upstream \"{upstream.Arg(0)}\"", upstream.Syntax.ReportPosition));
                }
            }

            foreach (var (_, message, position) in errors.OrderBy(e => e.Created))
            {
                scope.Emerg(message, position, http.EndOrdinal);
            }
        }
    }
}
