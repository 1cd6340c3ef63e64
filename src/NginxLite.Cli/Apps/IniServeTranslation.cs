using NginxLite.Config.Validation;
using NginxLite.Ini.Loading;
using NginxLite.Ini.Migration;

namespace NginxLite.Cli.Apps;

/// <summary>
/// <c>nginxlite --ini app.ini[:section]</c>: the migration's translation (<see cref="IniTranslator"/>) made runnable
/// from the directory nginxlite was started in, as <c>uwsgi --ini</c> runs it.
/// <list type="bullet">
/// <item>Relative paths are resolved the way uWSGI resolves them: sockets, <c>pidfile</c>, <c>logto</c>, <c>chdir</c>,
/// <c>home</c> and static-map directories against the start directory (uWSGI binds its sockets and opens its logs
/// before it chdirs; checked with uWSGI 2.0.21: <c>chdir = sub</c> + <c>socket = app.sock</c> binds <c>./app.sock</c>),
/// <c>wsgi-file</c>, <c>rack</c> and <c>pythonpath</c> against <c>chdir</c> (the app is loaded after the chdir).</item>
/// <item>No <c>chdir</c>: the workers start in the start directory, where uWSGI finds <c>module = myapp:app</c>.</item>
/// <item>Neither a uwsgi socket nor an HTTP one: uWSGI's own start-up error.</item>
/// <item>Logs go where uWSGI's go: stderr, or the <c>logto</c> file (requests too, unless <c>disable-logging</c>).</item>
/// </list>
/// </summary>
internal static class IniServeTranslation
{
    /// <summary>uWSGI 2.0's message (core/socket.c) when nothing is to be served; it exits 1.</summary>
    public const string NoSocketMessage = "The -s/--socket option is missing and stdin is not a socket.";

    public static GeneratedConfig Translate(string iniSpec, bool strict, string startDirectory, int pid)
    {
        var document = IniLoader.Load(iniSpec);
        var translation = IniTranslator.Translate(document, strict);
        var origin = Path.GetFullPath(document.MainFile, startDirectory);
        var diagnostics = translation.CheckDiagnostics;
        if (diagnostics.Any(d => d.IsError))
        {
            return new GeneratedConfig(null, origin, diagnostics);
        }

        if (translation.Sockets.Count == 0 && translation.Listens.Count == 0)
        {
            return new GeneratedConfig(null, origin, [.. diagnostics, Diagnostic.Emerg(NoSocketMessage, null, int.MaxValue)]);
        }

        var plan = ToPlan(translation, document, startDirectory, pid);
        return new GeneratedConfig(AppServeConfigWriter.Write(plan, origin), origin, diagnostics)
        {
            TouchReload = plan.TouchReload,
            Stats = plan.Stats,
            StatsHttp = plan.StatsHttp,
            AppName = plan.AppName,
            Sockets = translation.Sockets,
        };
    }

    public static AppServePlan ToPlan(AppTranslation translation, IniDocument document, string startDirectory, int pid)
    {
        var chdirValue = translation.App.LastOrDefault(d => d.Name == "chdir")?.Arguments[0];
        var chdir = chdirValue is null ? startDirectory : Path.GetFullPath(chdirValue, startDirectory);
        var app = new List<PlanDirective> { new("chdir", chdir) };
        foreach (var d in translation.App.Where(d => d.Name != "chdir"))
        {
            var args = d.Arguments.ToArray();
            switch (d.Name)
            {
                case "socket" when IsUnixPath(args[0]):
                case "virtualenv" or "home":
                    args[0] = Path.GetFullPath(args[0], startDirectory);
                    break;
                case "wsgi_file" or "rack" or "pythonpath":
                    args[0] = Path.GetFullPath(args[0], chdir);
                    break;
            }

            app.Add(new PlanDirective(d.Name, args));
        }

        var main = new List<PlanDirective>();
        var errorLog = translation.Main.LastOrDefault(d => d.Name == "error_log")?.Arguments[0];
        errorLog = errorLog is null ? null : Path.GetFullPath(errorLog, startDirectory);
        main.Add(new PlanDirective("error_log", errorLog ?? "stderr"));
        var pidFile = translation.Main.LastOrDefault(d => d.Name == "pid")?.Arguments[0];

        // uWSGI writes no pid file unless asked; the host always writes one, so it goes to a private temp path.
        main.Add(new PlanDirective("pid", pidFile is null ? Path.Combine(Path.GetTempPath(), $"nginxlite-ini-{pid}.pid") : Path.GetFullPath(pidFile, startDirectory)));

        var http = new List<PlanDirective>();
        var loggingOff = translation.Http.Any(d => d.Name == "access_log");
        http.Add(new PlanDirective("access_log", loggingOff ? "off" : errorLog ?? "/dev/stderr"));

        return new AppServePlan
        {
            AppName = translation.AppName,
            App = app,
            Listens = [.. translation.Listens.Select(l => new[] { ResolveListen(l.Arguments[0], startDirectory) })],
            StaticMaps = [.. translation.StaticMaps.Select(m => (m.Mount, Path.GetFullPath(m.Directory, startDirectory)))],
            Http = http,
            Main = main,
            TouchReload = [.. Values(document, "touch-reload").Select(f => Path.GetFullPath(f, startDirectory))],
            Stats = (Values(document, "stats").LastOrDefault() ?? Values(document, "stats-server").LastOrDefault()) is { } stats
                ? (stats.Contains(':', StringComparison.Ordinal) && !stats.Contains('/', StringComparison.Ordinal) ? stats : Path.GetFullPath(stats, startDirectory))
                : null,
            // A bare `stats-http` is true (uWSGI's boolean options); the last one wins.
            StatsHttp = document.Entries.LastOrDefault(e => e.Kind == IniEntryKind.Option && e.Key == "stats-http") is { } statsHttp
                && IniBoolean.Parse(statsHttp.Value),
        };
    }

    private static IEnumerable<string> Values(IniDocument document, string key) =>
        document.Entries.Where(e => e.Kind == IniEntryKind.Option && e.Key == key && e.Value.Length > 0).Select(e => e.Value);

    private static string ResolveListen(string listen, string startDirectory) =>
        listen.StartsWith("unix:", StringComparison.Ordinal) ? "unix:" + Path.GetFullPath(listen[5..], startDirectory) : listen;

    /// <summary>uWSGI reads a socket value with a <c>/</c> or without a <c>:</c> as a Unix socket path.</summary>
    private static bool IsUnixPath(string socket) => socket.Contains('/', StringComparison.Ordinal) || !socket.Contains(':', StringComparison.Ordinal);
}
