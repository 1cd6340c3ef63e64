using NginxLite.Config.Syntax;

namespace NginxLite.Config.Validation.Security;

/// <summary>One lint finding: the check's id (what <c># nginxlite: allow ID</c> names), the why, and where.</summary>
public sealed record SecurityFinding(string Check, string Message, SourcePosition Position)
{
    /// <summary>The tag that starts every lint message, so tools (and the tests that compare with nginx) can tell lint lines apart.</summary>
    public const string TagPrefix = "[security:";

    /// <summary>The directive's place in processing order (includes expanded), to print findings as the config reads.</summary>
    public int Ordinal { get; init; }

    /// <summary>The message as printed after <c>[warn]</c>/<c>[emerg]</c>: <c>[security:ID] why</c>.</summary>
    public string Text => $"{TagPrefix}{Check}] {Message}";

    public Diagnostic ToDiagnostic(bool strict) =>
        new(strict ? Severity.Emerg : Severity.Warn, Text, Position, int.MaxValue);
}
