using NginxLite.Config.Syntax;

namespace NginxLite.Config.Validation;

/// <summary>
/// One message in nginx's form: <c>[emerg] MSG in FILE:LINE</c> (or without the position, as nginx prints
/// e.g. <c>unknown "x" variable</c>). <see cref="Ordinal"/> orders messages the way nginx would meet them,
/// so the first emerg after sorting is the one <c>nginx -t</c> prints.
/// </summary>
public sealed record Diagnostic(Severity Severity, string Message, SourcePosition? Position, int Ordinal)
{
    public bool IsError => Severity <= Severity.Error;

    /// <summary>True for checks nginx makes after it printed "syntax is ok" (module init: e.g. the missing
    /// <c>events</c> section), so the CLI prints that line before this message.</summary>
    public bool AfterParse { get; init; }

    public static Diagnostic Emerg(string message, SourcePosition? position, int ordinal) =>
        new(Severity.Emerg, message, position, ordinal);

    public static Diagnostic Warn(string message, SourcePosition? position, int ordinal) =>
        new(Severity.Warn, message, position, ordinal);

    /// <summary>The text after <c>nginx: </c>, e.g. <c>[emerg] unknown directive "foo" in /a.conf:3</c>.</summary>
    public override string ToString() =>
        Position switch
        {
            // nginx says "in command line" for -g directives: no line number.
            { Line: 0 } p => $"[{Level}] {Message} in {p.File}",
            { } p => $"[{Level}] {Message} in {p.File}:{p.Line}",
            null => $"[{Level}] {Message}",
        };

    private string Level => Severity.ToString().ToLowerInvariant();
}
