using System.Globalization;

namespace NginxLite.Cli.Apps;

/// <summary>
/// argv of <c>nginxlite wsgi</c> (gunicorn's option names) and <c>nginxlite rack</c> (rackup's), read as Python's
/// argparse reads gunicorn's: <c>--name value</c>, <c>--name=value</c>, <c>-w4</c>, <c>-w 4</c>; unknown options and bad
/// values are a usage error (exit 2) in argparse's words.
/// </summary>
internal static class AppArgumentParser
{
    private sealed record Option(string? Short, string Long, string Metavar, Func<AppRunSettings, string, AppRunSettings?> Set, bool Flag = false);

    private static readonly Option[] Common =
    [
        new(null, "--threads", "INT", (s, v) => Int(v) is { } n ? s with { Threads = n } : null),
        new(null, "--chdir", "CHDIR", (s, v) => s with { Chdir = v }),
        new(null, "--max-requests", "INT", (s, v) => Int(v) is { } n ? s with { MaxRequests = n } : null),
        new(null, "--backlog", "INT", (s, v) => Int(v) is { } n ? s with { Backlog = n } : null),
        new(null, "--access-logfile", "FILE", (s, v) => s with { AccessLog = v }),
        new(null, "--error-logfile", "FILE", (s, v) => s with { ErrorLog = v }),
        new(null, "--log-file", "FILE", (s, v) => s with { ErrorLog = v }),
        new("-w", "--workers", "INT", (s, v) => Int(v) is { } n ? s with { Workers = n } : null),
        new("-t", "--timeout", "INT", (s, v) => Int(v) is { } n ? s with { Timeout = n } : null),
        new("-u", "--user", "USER", (s, v) => s with { User = v }),
        new("-g", "--group", "GROUP", (s, v) => s with { Group = v }),
        new("-n", "--name", "STRING", (s, v) => s with { ProcName = v }),
        new(null, "--reload", "", (s, _) => s with { Reload = true }, Flag: true),
        new(null, "--no-import-guard", "", (s, _) => s with { ImportGuard = false }, Flag: true),
        new("-h", "--help", "", (s, _) => s with { Help = true }, Flag: true),
    ];

    private static readonly Option[] Wsgi =
    [
        new("-b", "--bind", "ADDRESS", (s, v) => s with { Bind = [.. s.Bind, v] }),
        new("-c", "--config", "CONFIG", (s, v) => s with { Config = v }),
        new(null, "--pythonpath", "PYTHONPATH", (s, v) => s with { PythonPath = v }),
        new("-e", "--env", "ENV", (s, v) => s with { RawEnv = [.. s.RawEnv, v] }),
        new("-p", "--pid", "FILE", (s, v) => s with { PidFile = v }),
        new("-k", "--worker-class", "STRING", (s, v) => s with { WorkerClass = v }),
        new(null, "--import-guard", "", (s, _) => s with { ImportGuard = true }, Flag: true),
        // gunicorn's --preload (preload_app): load the app before forking the workers (uWSGI's lazy-apps = false).
        new(null, "--preload", "", (s, _) => s with { Preload = true }, Flag: true),
    ];

    // rackup: -o/--host, -p/--port, -P/--pid; -b is rackup's --builder and -e its --eval, so those are long-only here.
    // --preload is puma's (rackup has no workers): load config.ru once, fork the workers (uWSGI's lazy-apps = false).
    private static readonly Option[] Rack =
    [
        new(null, "--bind", "ADDRESS", (s, v) => s with { Bind = [.. s.Bind, v] }),
        new("-o", "--host", "HOST", (s, v) => s with { Host = v }),
        new("-p", "--port", "PORT", (s, v) => Int(v) is { } n and > 0 and < 65536 ? s with { Port = n } : null),
        new("-P", "--pid", "FILE", (s, v) => s with { PidFile = v }),
        new(null, "--env", "ENV", (s, v) => s with { RawEnv = [.. s.RawEnv, v] }),
        new(null, "--preload", "", (s, _) => s with { Preload = true }, Flag: true),
    ];

    public static string Usage(AppFrontEnd frontEnd) => frontEnd == AppFrontEnd.Wsgi
        ? "usage: nginxlite wsgi [OPTIONS] [APP_MODULE]"
        : "usage: nginxlite rack [OPTIONS] [RACKUP_FILE]";

    public static IEnumerable<string> OptionLines(AppFrontEnd frontEnd) =>
        Options(frontEnd).Select(o => $"  {(o.Short is null ? "    " : o.Short + ", ")}{o.Long}{(o.Flag ? "" : " " + o.Metavar)}");

    /// <summary>Null and an argparse-style message (<c>nginxlite wsgi: error: …</c>) when argv is wrong.</summary>
    public static AppRunSettings? Parse(string[] args, AppFrontEnd frontEnd, out string? error)
    {
        error = null;
        var options = Options(frontEnd).ToArray();
        var settings = new AppRunSettings();
        var unrecognized = new List<string>();
        var command = frontEnd == AppFrontEnd.Wsgi ? "nginxlite wsgi" : "nginxlite rack";
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                foreach (var rest in args[(i + 1)..])
                {
                    Positional(ref settings, rest, unrecognized);
                }

                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                Positional(ref settings, arg, unrecognized);
                continue;
            }

            string? inline = null;
            Option? option;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=');
                var name = eq > 0 ? arg[..eq] : arg;
                inline = eq > 0 ? arg[(eq + 1)..] : null;
                option = options.FirstOrDefault(o => o.Long == name);
            }
            else
            {
                option = options.FirstOrDefault(o => o.Short == arg[..2]);
                inline = arg.Length > 2 ? arg[2..] : null;
            }

            if (option is null)
            {
                unrecognized.Add(arg);
                continue;
            }

            var label = option.Short is null ? option.Long : $"{option.Short}/{option.Long}";
            if (option.Flag)
            {
                if (inline is not null)
                {
                    error = $"{command}: error: argument {label}: ignored explicit argument '{inline}'";
                    return null;
                }

                settings = option.Set(settings, "")!;
                continue;
            }

            var value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Length || (args[i + 1].StartsWith('-') && args[i + 1].Length > 1 && !char.IsAsciiDigit(args[i + 1][1])))
                {
                    error = $"{command}: error: argument {label}: expected one argument";
                    return null;
                }

                value = args[++i];
            }

            var next = option.Set(settings, value);
            if (next is null)
            {
                error = $"{command}: error: argument {label}: invalid int value: '{value}'";
                return null;
            }

            settings = next;
        }

        if (unrecognized.Count > 0)
        {
            error = $"{command}: error: unrecognized arguments: {string.Join(' ', unrecognized)}";
            return null;
        }

        return settings;
    }

    private static void Positional(ref AppRunSettings settings, string arg, List<string> unrecognized)
    {
        if (settings.App is null)
        {
            settings = settings with { App = arg };
        }
        else
        {
            unrecognized.Add(arg);
        }
    }

    private static IEnumerable<Option> Options(AppFrontEnd frontEnd) => (frontEnd == AppFrontEnd.Wsgi ? Wsgi : Rack).Concat(Common);

    private static int? Int(string v) => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
