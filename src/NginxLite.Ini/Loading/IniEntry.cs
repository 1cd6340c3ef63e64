using NginxLite.Config.Syntax;

namespace NginxLite.Ini.Loading;

/// <summary>
/// One <c>key = value</c> of the selected section after expansion, in the order uWSGI would add it.
/// </summary>
/// <param name="Key">The key as written.</param>
/// <param name="Value">The value after magic variables, <c>$(ENV)</c>, <c>@(file)</c> and <c>%(placeholder)</c>.</param>
/// <param name="RawValue">The value as written in the file.</param>
/// <param name="Position">File and line it was written at.</param>
/// <param name="Kind">What reading it did.</param>
/// <param name="HasEquals">False for a bare key (<c>master</c> on its own line).</param>
public sealed record IniEntry(string Key, string Value, string RawValue, SourcePosition Position, IniEntryKind Kind, bool HasEquals = true)
{
    /// <summary>Set for entries produced by a <c>for</c>/<c>if-*</c> block: the line of the block's opener.</summary>
    public SourcePosition? Logic { get; init; }
}
