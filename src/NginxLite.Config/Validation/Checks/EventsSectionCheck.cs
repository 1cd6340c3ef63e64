using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary><c>no "events" section in configuration</c>: ngx_event_init_conf, after the whole file is read; nginx gives no position.</summary>
public sealed class EventsSectionCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        if (!config.Root.Children.Any(d => d.Name == "events" && d.Syntax.HasBlock))
        {
            scope.Diagnostics.Add(Diagnostic.Emerg("no \"events\" section in configuration", null, ConfigTree.AfterConfiguration) with { AfterParse = true });
        }
    }
}
