using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// One family of the semantic checks <c>nginx -t</c> makes after the generic table checks.
/// A check reports at the ordinal where nginx would meet the problem: the directive's own
/// <see cref="BoundDirective.Ordinal"/> when nginx checks it while reading the directive, or the http block's
/// <see cref="BoundDirective.EndOrdinal"/> when nginx checks it once <c>http { }</c> is closed.
/// </summary>
public interface IConfigCheck
{
    void Run(BoundConfig config, BindScope scope);
}
