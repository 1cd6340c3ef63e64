using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>Walks of the bound tree that the checks share. Only names, arguments and blocks are used, never table rows.</summary>
internal static class ConfigTree
{
    /// <summary>Ordinals after the whole file: nginx's ngx_init_cycle checks once every block is closed.</summary>
    public const int AfterConfiguration = int.MaxValue - 16;

    /// <summary>
    /// Results several checks derive from one block (variable uses, the listen table), kept for one
    /// <see cref="ConfigTest.RunChecks"/> call so each is computed once; null outside a run (then computed per call).
    /// Keyed by the block's reference and a name.
    /// </summary>
    [ThreadStatic]
    internal static Dictionary<(BoundDirective Block, string What), object>? RunMemo;

    /// <summary>Every directive below <paramref name="block"/> in pre-order, as <see cref="BoundDirective.Descendants"/>; one walk per run.</summary>
    public static IReadOnlyList<BoundDirective> All(BoundDirective block) =>
        Shared(block, nameof(All), static b => b.Descendants().ToArray());

    /// <summary>The directives named <paramref name="name"/> below <paramref name="block"/>, in pre-order; one index per run,
    /// so a check looking for a few names does not walk every location of a big config.</summary>
    public static IReadOnlyList<BoundDirective> Named(BoundDirective block, string name) =>
        Shared(block, nameof(Named), static b => IndexByName(All(b))).GetValueOrDefault(name) ?? [];

    private static Dictionary<string, List<BoundDirective>> IndexByName(IReadOnlyList<BoundDirective> directives)
    {
        var index = new Dictionary<string, List<BoundDirective>>(StringComparer.Ordinal);
        foreach (var d in directives)
        {
            if (!index.TryGetValue(d.Name, out var named))
            {
                index[d.Name] = named = [];
            }

            named.Add(d);
        }

        return index;
    }

    /// <summary><paramref name="compute"/>(<paramref name="block"/>), once per check run.</summary>
    public static T Shared<T>(BoundDirective block, string what, Func<BoundDirective, T> compute)
        where T : class
    {
        var memo = RunMemo;
        if (memo is null)
        {
            return compute(block);
        }

        if (!memo.TryGetValue((block, what), out var value))
        {
            memo[(block, what)] = value = compute(block);
        }

        return (T)value;
    }

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
