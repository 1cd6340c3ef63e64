using NginxLite.Config.Validation;

namespace NginxLite.Ini.Loading;

/// <summary>An ini read with every include, placeholder and logic block expanded.</summary>
/// <param name="MainFile">The file named on the command line (without a <c>:section</c>).</param>
/// <param name="Section">The section read (<c>uwsgi</c> unless <c>file.ini:section</c>).</param>
/// <param name="Entries">Every key in reading order, includes in place.</param>
/// <param name="Files">Every file read, in order, once each.</param>
/// <param name="Diagnostics">Errors and warnings of reading (missing files, unknown placeholders …).</param>
/// <param name="Strict">True when the ini says <c>strict = true</c>.</param>
public sealed record IniDocument(
    string MainFile,
    string Section,
    IReadOnlyList<IniEntry> Entries,
    IReadOnlyList<string> Files,
    IReadOnlyList<Diagnostic> Diagnostics,
    bool Strict)
{
    public bool Ok => !Diagnostics.Any(d => d.IsError);

    /// <summary>Names that some <c>%(name)</c> referred to: custom keys used this way are variables, not typos.</summary>
    public IReadOnlySet<string> PlaceholdersUsed { get; init; } = new HashSet<string>();
}
