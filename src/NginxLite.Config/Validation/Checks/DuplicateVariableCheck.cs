using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary><c>the duplicate "uri" variable</c>: <c>set</c>, <c>map</c>, <c>geo</c> … naming a built-in that may not be changed (ngx_http_add_variable).</summary>
public sealed class DuplicateVariableCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var (directive, name) in VariableUses.Definitions(http))
            {
                if (KnownVariables.IsFixedBuiltIn(name))
                {
                    scope.Emerg(directive, $"the duplicate \"{name}\" variable");
                }
            }
        }
    }
}
