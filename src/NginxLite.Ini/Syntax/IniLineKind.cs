namespace NginxLite.Ini.Syntax;

/// <summary>What one physical line of a uWSGI ini file is.</summary>
public enum IniLineKind
{
    Blank,
    Comment,
    Section,
    Entry,
}
