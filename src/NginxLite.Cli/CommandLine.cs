using NginxLite.Cli.Apps;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Cli;

/// <summary>
/// nginx's command line: <c>-t -T -q -c -p -e -g -s -v -V -h</c>, with nginx's messages and exit codes.
/// Everything goes through <see cref="Run"/> so tests drive the same code in process.
/// </summary>
public static class CommandLine
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] == "migrate")
        {
            return MigrateCommand.Run(args[1..], stdout, stderr);
        }

        if (args.Length > 0 && args[0] is "wsgi" or "rack")
        {
            return AppRunCommand.Run(args[1..], args[0] == "wsgi" ? AppFrontEnd.Wsgi : AppFrontEnd.Rack, stdout, stderr);
        }

        if (!CommandLineParser.TryParse(args, out var options, out var error))
        {
            stderr.WriteLine($"{ProductInfo.Name}: {error}");
            return 1;
        }

        if (options.Help || options.Version)
        {
            VersionText.Write(stderr, options);
            if (!options.Test)
            {
                return 0;
            }
        }

        var prefix = NormalizePrefix(options.Prefix ?? ProductInfo.DefaultPrefix);
        var configFile = ConfigPathResolver.Resolve(options.ConfigFile, prefix, ConfigPathResolver.ConfiguredPath, File.Exists);

        var errorLog = ErrorLogSink.Open(options.ErrorLog, prefix, stderr);
        try
        {
            if (options.IniFile is { } ini)
            {
                return options.Test ? IniTestCommand.Run(ini, options, errorLog) : IniServeCommand.Run(ini, options, errorLog);
            }

            if (options.Test)
            {
                return ConfigTestCommand.Run(configFile, prefix, options, stdout, errorLog);
            }

            if (options.Signal is { } signal)
            {
                return SignalCommand.Run(signal, configFile, prefix, options, errorLog);
            }

            return ServeCommand.Run(configFile, prefix, options, errorLog);
        }
        finally
        {
            errorLog.Dispose();
        }
    }

    private static string NormalizePrefix(string prefix)
    {
        if (prefix.Length == 0)
        {
            return "./";
        }

        return prefix.EndsWith('/') ? prefix : prefix + "/";
    }
}
