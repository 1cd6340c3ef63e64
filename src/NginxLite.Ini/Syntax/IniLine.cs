namespace NginxLite.Ini.Syntax;

/// <summary>
/// One line of an ini file as uWSGI's <c>core/ini.c</c> splits it: a <c>[section]</c>, a <c>;</c>/<c>#</c> comment,
/// or <c>key = value</c> (no <c>=</c> means the whole line is the key and the value is empty, a bare flag).
/// Key and value are stripped of spaces, tabs and carriage returns at both ends, as uWSGI does.
/// </summary>
/// <param name="Kind">What the line is.</param>
/// <param name="Key">The key of an entry, or the section name.</param>
/// <param name="Value">The value of an entry (empty for a bare key).</param>
/// <param name="Line">1-based line number.</param>
/// <param name="HasEquals">False for a bare key with no <c>=</c>.</param>
public sealed record IniLine(IniLineKind Kind, string Key, string Value, int Line, bool HasEquals = true);
