using NginxLite.Config.Syntax;

namespace NginxLite.Config.Validation;

/// <summary>Collects every message of one run; callers fail once at the end (nginx stops at the first).</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.IsError);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void Emerg(string message, SourcePosition? position, int ordinal) =>
        _items.Add(Diagnostic.Emerg(message, position, ordinal));

    public void Warn(string message, SourcePosition? position, int ordinal) =>
        _items.Add(Diagnostic.Warn(message, position, ordinal));

    /// <summary>Messages in the order nginx would meet them (stable for equal ordinals).</summary>
    public IReadOnlyList<Diagnostic> InNginxOrder() => [.. _items.OrderBy(d => d.Ordinal)];
}
