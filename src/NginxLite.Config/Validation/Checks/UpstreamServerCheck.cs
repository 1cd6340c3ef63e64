using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>server ADDR</c> inside <c>upstream { }</c>: ngx_http_upstream_server parses and resolves it while reading the
/// directive: <c>host not found in upstream "backend.invalid:8000"</c>, <c>invalid port in upstream "…"</c>.
/// </summary>
public sealed class UpstreamServerCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var server in ConfigTree.Upstreams(http).SelectMany(u => u.ChildrenNamed("server")))
            {
                if (server.Arguments.Count == 0)
                {
                    continue;
                }

                var written = server.Arg(0);
                var url = UpstreamUrl.Parse(written);
                if (url.Error is { } error)
                {
                    scope.Emerg(server, $"{error} in upstream \"{written}\"");
                }
                else if (!url.Unix && HostResolver.Resolve(url.Host.TrimStart('[').TrimEnd(']')).Length == 0)
                {
                    scope.Emerg(server, $"host not found in upstream \"{written}\"");
                }
            }
        }
    }
}
