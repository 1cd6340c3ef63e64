using NginxLite.Config.Validation;

namespace NginxLite.Config.Syntax;

/// <summary>
/// The result of loading a main config file with every include expanded.
/// When a syntax error stops the read (nginx stops at the first one), <see cref="SyntaxError"/> is set and
/// <see cref="Directives"/> holds what was read before it, so later passes can still report earlier errors in order.
/// </summary>
public sealed record ConfigDocument(
    string MainFile,
    IReadOnlyList<ConfigDirective> Directives,
    IReadOnlyList<ConfigFile> Files,
    Diagnostic? SyntaxError);
