using System.Collections;

namespace NginxLite.Cli.Apps;

/// <summary>
/// <c>nginxlite wsgi [OPTIONS] MODULE:CALLABLE</c> and <c>nginxlite rack [OPTIONS] [config.ru]</c>: the gunicorn and
/// rackup one-liners, translated (<see cref="AppRunTranslation"/>) and served through the one serve path. Exit codes:
/// 2 for a usage error (argparse's), 1 for a config that cannot be served, 0 after a stop signal.
/// </summary>
internal static class AppRunCommand
{
    public static int Run(string[] args, AppFrontEnd frontEnd, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, frontEnd, stdout, stderr, Directory.GetCurrentDirectory(), CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, AppFrontEnd frontEnd, TextWriter stdout, TextWriter stderr, string startDirectory, CancellationToken stop)
    {
        var settings = AppArgumentParser.Parse(args, frontEnd, out var error);
        if (settings is null)
        {
            stderr.WriteLine(AppArgumentParser.Usage(frontEnd));
            stderr.WriteLine(error);
            return 2;
        }

        if (settings.Help)
        {
            stdout.WriteLine(AppArgumentParser.Usage(frontEnd));
            stdout.WriteLine();
            stdout.WriteLine("options (see docs/apps-cli.md for what each becomes):");
            foreach (var line in AppArgumentParser.OptionLines(frontEnd))
            {
                stdout.WriteLine(line);
            }

            return 0;
        }

        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var pid = Environment.ProcessId;
        var started = DateTime.UtcNow;
        using var log = ErrorLogSink.Open(null, startDirectory, stderr);
        return await ServeCommand.RunGeneratedAsync(
            () => AppRunTranslation.Translate(settings, frontEnd, startDirectory, pid, environment),
            startDirectory.EndsWith('/') ? startDirectory : startDirectory + "/",
            log,
            stop,
            (generated, service, token) => TouchReloadWatcher.WatchAsync(generated.TouchReload, started, service.ReloadAsync, TimeSpan.FromSeconds(1), token));
    }
}
