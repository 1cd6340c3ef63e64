using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>Walks of the bound tree that the checks share. Only names, arguments and blocks are used, never table rows.</summary>
internal static class ConfigTree
{
    /// <summary>Ordinals after the whole file: nginx's ngx_init_cycle checks once every block is closed.</summary>
    public const int AfterConfiguration = int.MaxValue - 16;

    public static IEnumerable<BoundDirective> HttpBlocks(BoundConfig config) =>
        config.Root.Children.Where(d => d.Name == "http" && d.Syntax.HasBlock);

    public static IEnumerable<BoundDirective> Servers(BoundDirective http) =>
        http.Children.Where(d => d.Name == "server" && d.Syntax.HasBlock);

    public static IEnumerable<BoundDirective> Upstreams(BoundDirective http) =>
        http.Children.Where(d => d.Name == "upstream" && d.Syntax.HasBlock && d.Arguments.Count > 0);

    /// <summary>Directives of a server that belong to the server itself: its own lines and those of its <c>if</c> blocks, not its locations.</summary>
    public static IEnumerable<BoundDirective> ServerLevel(BoundDirective server)
    {
        foreach (var child in server.Children)
        {
            yield return child;
            if (child.Name == "if")
            {
                foreach (var inner in child.Descendants())
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The nearest enclosing <c>location</c>, or null.</summary>
    public static BoundDirective? EnclosingLocation(BoundDirective directive)
    {
        for (var p = directive.Parent; p is not null; p = p.Parent)
        {
            if (p.Name == "location")
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>The enclosing <c>http</c> block, or null (stream, mail, main).</summary>
    public static BoundDirective? EnclosingHttp(BoundDirective directive)
    {
        for (var p = directive.Parent; p is not null; p = p.Parent)
        {
            if (p.Name == "http" && p.Parent?.Parent is null)
            {
                return p;
            }
        }

        return null;
    }
}
