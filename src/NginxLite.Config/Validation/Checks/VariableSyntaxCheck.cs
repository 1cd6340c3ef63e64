using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary><c>invalid variable name</c> and <c>the closing bracket in "x" variable is missing</c>: the script compiler, while reading the directive.</summary>
public sealed class VariableSyntaxCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            BoundDirective? lastReported = null;
            foreach (var (directive, reference) in VariableUses.In(http))
            {
                // nginx stops reading a directive at its first script error.
                if (reference.Error is { } error && directive != lastReported)
                {
                    scope.Emerg(directive, error);
                    lastReported = directive;
                }
            }
        }
    }
}
