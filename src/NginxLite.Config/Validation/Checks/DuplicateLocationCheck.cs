using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>duplicate location "/"</c>: ngx_http_join_exact_locations, when http { } is closed. Two exact (<c>=</c>) or two
/// prefix (plain or <c>^~</c>) locations with the same name in one block clash; <c>= /x</c> and <c>/x</c> join; regex
/// and named locations are never duplicates. Nested blocks are checked first, each level in sorted order; the
/// position is the later location's.
/// </summary>
public sealed class DuplicateLocationCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var server in ConfigTree.Servers(http))
            {
                CheckLevel(server, http.EndOrdinal, scope);
            }
        }
    }

    private static void CheckLevel(BoundDirective block, int ordinal, BindScope scope)
    {
        // Most blocks (every leaf location) have no nested location: skip the query below for them.
        if (!block.Children.Exists(c => c.Name == "location"))
        {
            return;
        }

        var locations = block.ChildrenNamed("location")
            .Where(l => l.Syntax.HasBlock)
            .Select(l => (Directive: l, Name: LocationName.Parse(l)))
            .Where(l => l.Name.Kind is not (LocationKind.Regex or LocationKind.Named))
            .OrderBy(l => l.Name.Name, StringComparer.Ordinal)
            .ToList();

        foreach (var (directive, _) in locations)
        {
            CheckLevel(directive, ordinal, scope);
        }

        var seen = new HashSet<(bool Exact, string Name)>();
        foreach (var (directive, name) in locations)
        {
            if (!seen.Add((name.Kind == LocationKind.Exact, name.Name)))
            {
                scope.Emerg($"duplicate location \"{name.Name}\"", directive.Position, ordinal);
            }
        }
    }
}
