using System.Text;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Syntax;

/// <summary>Reads a main config file, expands <c>include</c> (with globs) in place, and numbers directives in nginx's processing order.</summary>
public static class ConfigLoader
{
    /// <summary>Load and parse <paramref name="mainFile"/>. Missing include files are reported into <paramref name="diagnostics"/>;
    /// a syntax error stops reading and is returned in <see cref="ConfigDocument.SyntaxError"/>.
    /// A main file that cannot be read is returned the same way (nginx stops there too), with no position, and never throws.</summary>
    public static ConfigDocument Load(string mainFile, LoadOptions options, DiagnosticBag diagnostics)
    {
        var content = ConfigSource.TryRead(mainFile, out string? error, options.VirtualFiles);
        return Run(mainFile, content, error, options, diagnostics);
    }

    /// <summary>Parse text that is not on disk (tests); includes resolve against <paramref name="fileName"/>'s directory.</summary>
    public static ConfigDocument LoadText(string text, string fileName, LoadOptions options, DiagnosticBag diagnostics) =>
        Run(fileName, Encoding.UTF8.GetBytes(text), null, options, diagnostics);

    /// <summary>Parse bytes that are not on disk, e.g. to test non-UTF-8 input.</summary>
    public static ConfigDocument LoadBytes(byte[] content, string fileName, LoadOptions options, DiagnosticBag diagnostics) =>
        Run(fileName, content, null, options, diagnostics);

    private static ConfigDocument Run(string mainFile, byte[]? content, string? readError, LoadOptions options, DiagnosticBag diagnostics)
    {
        string configDirectory = options.ConfigDirectory
            ?? Path.GetDirectoryName(Path.GetFullPath(mainFile))
            ?? Directory.GetCurrentDirectory();
        var expander = new ConfigExpander(diagnostics, configDirectory, options.ExpandIncludes) { VirtualFiles = options.VirtualFiles };
        var directives = new List<ConfigDirective>();

        // ngx_init_cycle: ngx_conf_param (-g) runs before the main file is parsed.
        if (!string.IsNullOrEmpty(options.GlobalDirectives))
        {
            expander.AddCommandLine(options.GlobalDirectives, directives);
        }

        if (expander.SyntaxError is null)
        {
            if (content is null)
            {
                // cf->conf_file is not set yet, so nginx prints this one without "in FILE:LINE".
                expander.StopWith(readError!, null);
            }
            else
            {
                expander.AddFile(mainFile, content, includedFrom: null, depth: 0, directives);
            }
        }

        return new ConfigDocument(mainFile, directives, expander.Files, expander.SyntaxError);
    }
}
