using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.Ini.Loading;
using NginxLite.Ini.Migration;

namespace NginxLite.Cli;

/// <summary>
/// <c>-t --ini app.ini[:section]</c>: reads the ini as uWSGI would, checks every key against the uWSGI option table,
/// and checks the config it translates to with the nginx checker. Messages and exit codes as <c>-t</c>: every
/// <c>[emerg]</c> (unsupported options, unreadable files, bad values) and <c>[warn]</c> (unknown keys, typos) with FILE:LINE.
/// </summary>
internal static class IniTestCommand
{
    public static int Run(string ini, CommandLineOptions options, ErrorLogSink log)
    {
        var file = IniLoader.SplitSection(ini, null).Path;
        var translation = IniTranslator.Translate(IniLoader.Load(ini), options.Strict);
        var diagnostics = translation.CheckDiagnostics.ToList();
        if (translation.Ok)
        {
            diagnostics.AddRange(CheckTranslation(translation));
        }

        var errors = 0;
        foreach (var diagnostic in diagnostics)
        {
            log.Write(diagnostic);
            errors += diagnostic.IsError ? 1 : 0;
        }

        if (errors > 0)
        {
            log.Notice($"configuration file {file} test failed");
            return 1;
        }

        if (!options.Quiet)
        {
            log.Notice($"the configuration file {file} syntax is ok");
            log.Notice($"configuration file {file} test is successful");
        }

        return 0;
    }

    /// <summary>The translated config through the nginx checker: a safety net, it should never fail.</summary>
    private static IEnumerable<Diagnostic> CheckTranslation(AppTranslation translation)
    {
        var text = MigrationWriter.Write(translation, null, false, null);
        var name = Path.ChangeExtension(translation.Document.MainFile, ".nginxlite.conf");
        var result = ConfigTest.RunText(text, name, new LoadOptions(), new BindOptions());
        return result.Diagnostics
            .Where(d => d.IsError)
            .Select(d => d with { Message = d.Message + " (in the translation of the ini)" });
    }
}
