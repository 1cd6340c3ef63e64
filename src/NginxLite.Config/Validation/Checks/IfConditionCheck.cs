using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary><c>invalid condition "$a"</c> and <c>unexpected "x" in condition</c>: ngx_http_rewrite_if_condition, while reading <c>if</c>.</summary>
public sealed class IfConditionCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var d in ConfigTree.Named(http, "if").Where(d => d.Arguments.Count > 0 && d.Syntax.HasBlock))
            {
                if (IfCondition.Parse(d).Error is { } error)
                {
                    scope.Emerg(d, error);
                }
            }
        }
    }
}
