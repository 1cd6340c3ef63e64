namespace NginxLite.Cli;

/// <summary>
/// Parses argv like nginx's ngx_get_options: single-letter flags may be grouped (<c>-tq</c>), options with a value
/// take it glued (<c>-cfile</c>) or as the next word (<c>-c file</c>). Errors use nginx's wording.
/// </summary>
internal static class CommandLineParser
{
    public static bool TryParse(string[] args, out CommandLineOptions options, out string? error)
    {
        options = new CommandLineOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                // NginxLite's own long options (nginx has none).
                if (!TryParseLong(args, ref i, options, out error))
                {
                    return false;
                }

                continue;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                error = $"invalid option: \"{arg}\"";
                return false;
            }

            for (var j = 1; j < arg.Length; j++)
            {
                var c = arg[j];
                switch (c)
                {
                    case '?' or 'h': options.Help = true; break;
                    case 'v': options.Version = true; break;
                    case 'V': options.Version = true; options.VersionAndConfigure = true; break;
                    case 't': options.Test = true; break;
                    case 'T': options.Test = true; options.TestAndDump = true; break;
                    case 'q': options.Quiet = true; break;
                    case 'p' or 'c' or 'e' or 'g' or 's':
                        string? value;
                        if (j + 1 < arg.Length)
                        {
                            value = arg[(j + 1)..];
                        }
                        else if (i + 1 < args.Length)
                        {
                            value = args[++i];
                        }
                        else
                        {
                            error = c switch
                            {
                                'p' => "option \"-p\" requires directory name",
                                'c' => "option \"-c\" requires file name",
                                'e' => "option \"-e\" requires file name",
                                'g' => "option \"-g\" requires parameter",
                                _ => "option \"-s\" requires parameter",
                            };
                            return false;
                        }

                        switch (c)
                        {
                            case 'p': options.Prefix = value; break;
                            case 'c': options.ConfigFile = value; break;
                            case 'e': options.ErrorLog = value; break;
                            case 'g': options.GlobalDirectives = value; break;
                            default:
                                if (value is not ("stop" or "quit" or "reopen" or "reload"))
                                {
                                    error = $"invalid option: \"-s {value}\"";
                                    return false;
                                }

                                options.Signal = value;
                                break;
                        }

                        j = arg.Length;
                        break;
                    default:
                        error = $"invalid option: \"{c}\"";
                        return false;
                }
            }
        }

        return true;
    }

    private static bool TryParseLong(string[] args, ref int i, CommandLineOptions options, out string? error)
    {
        error = null;
        var arg = args[i];
        var equals = arg.IndexOf('=');
        var name = equals > 0 ? arg[..equals] : arg;
        switch (name)
        {
            case "--strict" when equals < 0:
                options.Strict = true;
                return true;
            case "--origin-https-only" when equals < 0:
                options.OriginHttpsOnly = true;
                return true;
            case "--origin-domains" when equals > 0:
                // The lint's "origins" check: the only domains an origin/referrer regex may accept (gixy's option).
                options.OriginDomains = [.. arg[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                return true;
            case "--ignore-modules" when equals < 0:
                options.IgnoreModules = true;
                return true;
            case "--json" when equals < 0:
                options.Json = true;
                return true;
            case "--ini":
                if (equals > 0)
                {
                    options.IniFile = arg[(equals + 1)..];
                }
                else if (i + 1 < args.Length)
                {
                    options.IniFile = args[++i];
                }
                else
                {
                    error = "option \"--ini\" requires file name";
                    return false;
                }

                return true;
            default:
                error = $"invalid option: \"{arg}\"";
                return false;
        }
    }
}
