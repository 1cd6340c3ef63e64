using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// ngx_http_referer_merge_conf, when http { } is closed: a block whose <c>valid_referers</c> say <c>server_names</c> adds
/// the server's (non-regex) names to its referer hash then; a name the block already lists is a
/// <c>conflicting parameter "a.com"</c>, reported at the line of the http block's closing brace.
/// </summary>
public sealed class RefererMergeCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var conflict = ConfigTree.Servers(http).Select(s => CheckBlock(s, s)).FirstOrDefault(c => c is not null);
            if (conflict is not null)
            {
                var at = http.Syntax.EndLine > 0 ? http.Position with { Line = http.Syntax.EndLine } : http.Position;
                scope.Emerg($"conflicting parameter \"{conflict}\"", at, http.EndOrdinal);
            }
        }
    }

    /// <summary>The block, then its locations in file order (ngx_http_merge_locations).</summary>
    private static string? CheckBlock(BoundDirective block, BoundDirective server)
    {
        var referers = block.ChildrenNamed("valid_referers").ToList();
        if (referers.Any(r => r.Arguments.Any(a => a.Value == "server_names")))
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var host in referers.SelectMany(r => r.Arguments).SelectMany(a => ValueCheck.RefererHosts(a.Value)))
            {
                ValueCheck.AddRefererKeys(keys, host);
            }

            var names = server.ChildrenNamed("server_name").SelectMany(s => s.Arguments.Select(a => a.Value))
                .Where(n => n.Length > 0 && n[0] != '~');
            foreach (var name in names)
            {
                if (!ValueCheck.AddRefererKeys(keys, name.ToLowerInvariant()))
                {
                    return name.ToLowerInvariant();
                }
            }
        }

        return block.ChildrenNamed("location").Where(l => l.Syntax.HasBlock)
            .Select(l => CheckBlock(l, server))
            .FirstOrDefault(c => c is not null);
    }
}
