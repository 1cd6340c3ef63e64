using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// Two <c>upstream NAME {}</c> blocks with one name (names compare case-insensitively, as ngx_http_upstream_add
/// does): <c>duplicate upstream "NAME"</c>, reported when nginx reads the second block's opening line.
/// </summary>
public sealed class DuplicateUpstreamCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var upstream in ConfigTree.Upstreams(http))
            {
                if (upstream.Arguments.Count == 1 && !seen.Add(upstream.Arg(0)))
                {
                    scope.Emerg(upstream, $"duplicate upstream \"{upstream.Arg(0)}\"");
                }
            }
        }
    }
}
