using NginxLite.Config.Validation;
using NginxLite.Ini.Migration;

namespace NginxLite.Cli;

/// <summary>
/// <c>nginxlite migrate app.ini [--nginx site.conf] [-o out.conf] [--report FILE] [--report-format text|json] [--strict]</c>:
/// prints the NginxLite config that replaces uWSGI (and the nginx site), and a report of every ini key on stderr.
/// Exit 0 when every key is mapped or ignored, 2 when something is unsupported (the config is still printed, with
/// those keys as comments), 1 on errors (unreadable files, bad values, unknown keys with --strict).
/// </summary>
internal static class MigrateCommand
{
    private const string Usage = "usage: nginxlite migrate app.ini[:section] [--nginx site.conf] [-o out.conf] [--report FILE] [--report-format text|json] [--strict]";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? ini = null, site = null, output = null, report = null, format = "text";
        var strict = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? Next()
            {
                if (i + 1 < args.Length)
                {
                    return args[++i];
                }

                stderr.WriteLine($"{ProductInfo.Name}: option \"{arg}\" requires a value");
                return null;
            }

            switch (arg)
            {
                case "--nginx":
                    site = Next();
                    if (site is null) { return 1; }
                    break;
                case "-o" or "--output":
                    output = Next();
                    if (output is null) { return 1; }
                    break;
                case "--report":
                    report = Next();
                    if (report is null) { return 1; }
                    break;
                case "--report-format":
                    format = Next();
                    if (format is not ("text" or "json"))
                    {
                        stderr.WriteLine($"{ProductInfo.Name}: invalid --report-format \"{format}\": text or json");
                        return 1;
                    }

                    break;
                case "--strict":
                    strict = true;
                    break;
                case "-h" or "--help":
                    stderr.WriteLine(Usage);
                    return 0;
                default:
                    if (arg.StartsWith('-') || ini is not null)
                    {
                        stderr.WriteLine($"{ProductInfo.Name}: invalid option: \"{arg}\"");
                        stderr.WriteLine(Usage);
                        return 1;
                    }

                    ini = arg;
                    break;
            }
        }

        if (ini is null)
        {
            stderr.WriteLine(Usage);
            return 1;
        }

        var result = Migrator.Migrate(ini, new MigrateOptions { NginxSite = site, Strict = strict });
        foreach (var d in result.Diagnostics)
        {
            stderr.WriteLine($"{ProductInfo.Name}: {d}");
        }

        var table = format == "json" ? ReportWriter.Json(result.Translation.Report) : ReportWriter.Text(result.Translation.Report);
        if (!TryWrite(report, table, report is null ? stderr : null, stderr))
        {
            return 1;
        }

        if (result.Config is { } config && !TryWrite(output, config, output is null ? stdout : null, stderr))
        {
            return 1;
        }

        return result.ExitCode;
    }

    private static bool TryWrite(string? path, string text, TextWriter? writer, TextWriter stderr)
    {
        if (writer is not null)
        {
            writer.Write(text);
            return true;
        }

        try
        {
            File.WriteAllText(path!, text);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{ProductInfo.Name}: {Diagnostic.Emerg($"open() \"{path}\" failed ({e.Message})", null, 0)}");
            return false;
        }
    }
}
