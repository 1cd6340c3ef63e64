using NginxLite.Config.Syntax;

namespace NginxLite.Ini.Migration;

/// <summary>A directive the translation emits, with the ini line it came from.</summary>
public sealed record AppDirective(string Name, IReadOnlyList<string> Arguments, SourcePosition Position)
{
    public string Text => Name + string.Concat(Arguments.Select(a => " " + ConfigPrinter.FormatToken(a))) + ";";
}
