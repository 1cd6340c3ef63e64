using NginxLite.Config.Binding;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.TestSupport;

/// <summary>Binds config text and returns the messages as nginx would print them (after "nginx: ").</summary>
public static class Bind
{
    public static readonly BindOptions Quiet = new() { WarnIgnored = false, CheckEnvironment = false };

    public static (BoundConfig Config, IReadOnlyList<Diagnostic> Messages) Text(string text, BindOptions? options = null)
    {
        var bag = new DiagnosticBag();
        var bound = ConfigBinder.Bind(TestConfigText.Parse(text), options ?? Quiet, bag);
        return (bound, bag.InNginxOrder());
    }

    public static IReadOnlyList<string> Messages(string text, BindOptions? options = null) =>
        [.. Text(text, options).Messages.Select(d => d.ToString())];

    /// <summary>The first error's text, or null when binding found none.</summary>
    public static string? FirstError(string text) =>
        Text(text).Messages.FirstOrDefault(d => d.IsError)?.ToString();
}
