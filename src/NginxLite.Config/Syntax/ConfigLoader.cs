using NginxLite.Config.Validation;

namespace NginxLite.Config.Syntax;

/// <summary>Options for reading a config: where relative includes resolve, and <c>-g</c> directives.</summary>
public sealed record LoadOptions
{
    /// <summary>Directory that relative <c>include</c> paths resolve against: nginx uses the directory of the main config file.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>Text of <c>-g "…"</c>, parsed as if written at the top of the main file, reported as "in command line".</summary>
    public string? GlobalDirectives { get; init; }
}

/// <summary>Reads a main config file, expands <c>include</c> (with globs) in place, and numbers directives in nginx's processing order.</summary>
public static class ConfigLoader
{
    /// <summary>Load and parse <paramref name="mainFile"/>. Missing include files are reported into <paramref name="diagnostics"/>;
    /// a syntax error stops reading and is returned in <see cref="ConfigDocument.SyntaxError"/>.</summary>
    public static ConfigDocument Load(string mainFile, LoadOptions options, DiagnosticBag diagnostics) =>
        throw new NotImplementedException("syntax helper");

    /// <summary>Parse text that is not on disk (tests); includes resolve against <paramref name="fileName"/>'s directory.</summary>
    public static ConfigDocument LoadText(string text, string fileName, LoadOptions options, DiagnosticBag diagnostics) =>
        throw new NotImplementedException("syntax helper");
}
