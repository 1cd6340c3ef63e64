using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Binding;

/// <summary>
/// Matches every directive to its table row in its context, with nginx's generic checks and messages
/// (unknown directive, not allowed here, not terminated by ";", has no opening "{", invalid number of arguments,
/// unsupported) and each row's value checks.
/// </summary>
public static class ConfigBinder
{
    public static BoundConfig Bind(ConfigDocument document, BindOptions options, DiagnosticBag diagnostics) =>
        throw new NotImplementedException("tables helper");
}
