using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Binding;

/// <summary>What a value check needs: where to report, and the options of this run.</summary>
public sealed class BindScope(DiagnosticBag diagnostics, BindOptions options)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public BindOptions Options { get; } = options;

    /// <summary><c>[emerg] MSG in FILE:LINE</c> at the directive's own place in nginx's order.</summary>
    public void Emerg(BoundDirective at, string message) =>
        Diagnostics.Emerg(message, at.Position, at.Ordinal);

    public void Warn(BoundDirective at, string message) =>
        Diagnostics.Warn(message, at.Position, at.Ordinal);

    public void Emerg(string message, SourcePosition? position, int ordinal) =>
        Diagnostics.Emerg(message, position, ordinal);
}
