using NginxLite.Config.Syntax;

namespace NginxLite.Ini.Migration;

/// <summary>One line of the migration report: what became of one ini key.</summary>
/// <param name="Position">Where the key was written.</param>
/// <param name="Key">The key as written.</param>
/// <param name="Value">Its value after expansion.</param>
/// <param name="Outcome"><c>mapped</c>, <c>ignored</c>, <c>unsupported</c> or <c>unknown</c>.</param>
/// <param name="Becomes">The NginxLite directive it became (empty when none).</param>
/// <param name="Reason">Why it is ignored, what to do when unsupported, or a note.</param>
public sealed record ReportRow(SourcePosition Position, string Key, string Value, string Outcome, string Becomes, string Reason);
