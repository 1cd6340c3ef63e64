using System.Collections.Frozen;
using System.Collections.Immutable;

namespace NginxLite.Config.Directives;

/// <summary>
/// Every directive NginxLite knows, by name, built once from <see cref="DirectiveTables"/>. A name has several
/// variants when modules share it (<c>proxy_pass</c> in http and stream, <c>server</c> in http, upstream, mail …);
/// the binder picks the first variant allowed in the current context, as nginx's <c>ngx_conf_handler</c> does.
/// </summary>
public static class DirectiveRegistry
{
    /// <summary>Every row of every table, in table order.</summary>
    public static ImmutableArray<DirectiveSpec> All { get; } = [.. DirectiveTables.All.SelectMany(t => t)];

    /// <summary>Name → its variants in table order.</summary>
    public static FrozenDictionary<string, ImmutableArray<DirectiveSpec>> ByName { get; } =
        All.GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);

    /// <summary>The variants of <paramref name="name"/>, empty when nginx and NginxLite do not know it.</summary>
    public static ImmutableArray<DirectiveSpec> Variants(string name) =>
        ByName.TryGetValue(name, out var variants) ? variants : [];

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>The first variant of <paramref name="name"/> allowed in <paramref name="context"/>, or null.</summary>
    public static DirectiveSpec? Find(string name, DirectiveContext context)
    {
        foreach (var spec in Variants(name))
        {
            if ((spec.Contexts & context) != 0)
            {
                return spec;
            }
        }

        return null;
    }
}
