using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>unknown "x" variable</c>: ngx_http_variables_init_vars, once http { } is read, walks the variables in the order
/// they were first used; a definition anywhere in the block counts, even after the use. nginx gives no position.
/// </summary>
public sealed class UnknownVariableCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var defined = new HashSet<string>(VariableUses.Definitions(http).Select(d => d.Name), StringComparer.Ordinal);
            defined.UnionWith(VariableUses.NamedCaptures(http));

            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (_, reference) in VariableUses.In(http))
            {
                if (reference.Name is { } name && !defined.Contains(name) && !KnownVariables.IsKnown(name) && reported.Add(name))
                {
                    scope.Emerg($"unknown \"{name}\" variable", null, http.EndOrdinal);
                }
            }
        }
    }
}
