namespace NginxLite.Ini.Loading;

/// <summary>What an ini key did when it was read.</summary>
public enum IniEntryKind
{
    /// <summary>An option (or a custom key uWSGI keeps as a placeholder variable).</summary>
    Option,

    /// <summary><c>ini</c>, <c>include</c>, <c>inherit</c>: another file read in place.</summary>
    Include,

    /// <summary><c>set-placeholder</c>/<c>set-ph</c>/<c>set</c>: defines a value for later <c>%(name)</c>.</summary>
    Placeholder,

    /// <summary><c>for</c>, <c>if-*</c>, <c>else</c>, <c>endif</c> …: config logic evaluated while reading.</summary>
    Logic,
}
