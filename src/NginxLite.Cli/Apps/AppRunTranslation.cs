using System.Globalization;
using NginxLite.Config.Validation;

namespace NginxLite.Cli.Apps;

/// <summary>
/// <c>nginxlite wsgi</c>/<c>rack</c> settings → an <see cref="AppServePlan"/>: an <c>app</c> block with the app, a
/// server listening on every bind with <c>location / { app_pass …; }</c>. Defaults are gunicorn's (bind
/// 127.0.0.1:8000, 1 worker or $WEB_CONCURRENCY, timeout 30 s, no access log, errors to stderr, chdir and sys.path at
/// the start directory) and rackup's for Rack (127.0.0.1:9292, no timeout).
/// </summary>
internal static class AppRunTranslation
{
    /// <summary>gunicorn's message and status when no APP_MODULE is given (gunicorn/app/wsgiapp.py).</summary>
    public const string NoAppMessage = "Error: No application module specified.";

    /// <summary>The environment variable that turns on the Python shim's import guard (see docs/apps-cli.md).</summary>
    public const string ImportGuardVariable = "NGINXLITE_IMPORT_GUARD";

    public static GeneratedConfig Translate(AppRunSettings commandLine, AppFrontEnd frontEnd, string startDirectory, int pid, IReadOnlyDictionary<string, string?> environment)
    {
        var origin = Path.Combine(startDirectory, frontEnd == AppFrontEnd.Wsgi ? "nginxlite-wsgi" : "nginxlite-rack");
        var diagnostics = new List<Diagnostic>();
        var settings = commandLine;
        var configFile = commandLine.Config;
        if (configFile is null && frontEnd == AppFrontEnd.Wsgi && File.Exists(Path.Combine(startDirectory, "gunicorn.conf.py")))
        {
            // gunicorn reads ./gunicorn.conf.py when no -c is given.
            configFile = "gunicorn.conf.py";
        }

        if (configFile is not null)
        {
            if (configFile.StartsWith("python:", StringComparison.Ordinal))
            {
                return GeneratedConfig.Failed(origin, Diagnostic.Emerg($"a gunicorn config module (\"{configFile}\") is not read: give the file (-c path/gunicorn.conf.py)", null, 0));
            }

            var path = Path.GetFullPath(configFile.StartsWith("file:", StringComparison.Ordinal) ? configFile[5..] : configFile, startDirectory);
            var (fromFile, fileDiagnostics) = GunicornConfigFile.Read(path);
            diagnostics.AddRange(fileDiagnostics);
            settings = commandLine.Over(fromFile) with { Config = path };
        }

        var plan = ToPlan(settings, frontEnd, startDirectory, pid, environment, diagnostics);
        if (plan is null || diagnostics.Any(d => d.IsError))
        {
            return new GeneratedConfig(null, origin, diagnostics);
        }

        return new GeneratedConfig(AppServeConfigWriter.Write(plan, origin), origin, diagnostics) { TouchReload = plan.TouchReload };
    }

    private static AppServePlan? ToPlan(AppRunSettings s, AppFrontEnd frontEnd, string start, int pid, IReadOnlyDictionary<string, string?> environment, List<Diagnostic> diagnostics)
    {
        void Error(string message) => diagnostics.Add(Diagnostic.Emerg(message, null, diagnostics.Count));

        var wsgi = frontEnd == AppFrontEnd.Wsgi;
        if (s.App is null && wsgi)
        {
            Error(NoAppMessage);
            return null;
        }

        if (s.WorkerClass is { } workerClass && workerClass is not ("sync" or "gthread" or "gunicorn.workers.sync.SyncWorker" or "gunicorn.workers.gthread.ThreadWorker"))
        {
            Error($"worker_class \"{workerClass}\" is not supported: NginxLite workers are \"sync\" (one request at a time) or \"gthread\" (--threads N)");
        }

        var chdir = Path.GetFullPath(s.Chdir ?? ".", start);
        var app = new List<PlanDirective> { new("chdir", chdir) };
        var watch = new List<string>();
        if (wsgi)
        {
            var module = s.App!;
            if (module.Contains('(', StringComparison.Ordinal))
            {
                Error($"the app factory call \"{module}\" is not supported: name the callable (MODULE:NAME)");
            }

            app.Add(new PlanDirective("module", module));
            var file = Path.Combine(chdir, module.Split(':')[0].Replace('.', '/'));
            watch.Add(File.Exists(file + ".py") || !Directory.Exists(file) ? file + ".py" : Path.Combine(file, "__init__.py"));
        }
        else
        {
            var rackup = Path.GetFullPath(s.App ?? "config.ru", chdir);
            app.Add(new PlanDirective("rack", rackup));
            watch.Add(rackup);
        }

        if (s.Preload == true)
        {
            // The shim's loader imports the module (Python) or parses config.ru (Ruby) once; the workers are its forks
            // (docs/apps.md "lazy_apps off"), as gunicorn's --preload forks its workers from the arbiter.
            app.Add(new PlanDirective("lazy_apps", "off"));
        }

        var workers = s.Workers ?? (wsgi && environment.TryGetValue("WEB_CONCURRENCY", out var wc) && int.TryParse(wc, CultureInfo.InvariantCulture, out var n) ? n : 1);
        app.Add(new PlanDirective("processes", Num(Math.Max(workers, 1))));
        if (s.Threads is { } threads)
        {
            app.Add(new PlanDirective("threads", Num(Math.Max(threads, 1))));
        }

        foreach (var dir in (s.PythonPath ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            app.Add(new PlanDirective("pythonpath", Path.GetFullPath(dir, start)));
        }

        foreach (var env in s.RawEnv)
        {
            if (env.IndexOf('=') <= 0)
            {
                Error($"invalid environment \"{env}\": expected KEY=VALUE");
                continue;
            }

            app.Add(new PlanDirective("env", env));
        }

        if (wsgi && s.ImportGuard != false)
        {
            app.Add(new PlanDirective("env", ImportGuardVariable + "=1"));
        }

        // gunicorn kills a worker silent for more than `timeout` seconds (default 30; 0 = never): uWSGI's harakiri.
        var timeout = s.Timeout ?? (wsgi ? 30 : 0);
        if (timeout > 0)
        {
            app.Add(new PlanDirective("harakiri", Num(timeout) + "s"));
        }

        if (s.MaxRequests is > 0)
        {
            app.Add(new PlanDirective("max_requests", Num(s.MaxRequests.Value)));
        }

        if (s.User is { } user)
        {
            app.Add(s.Group is { } g ? new PlanDirective("user", user, g) : new PlanDirective("user", user));
        }
        else if (s.Group is { } group)
        {
            app.Add(new PlanDirective("group", group));
        }

        var binds = s.Bind.Count > 0 ? s.Bind
            : s.Host is not null || s.Port is not null ? [$"{s.Host ?? "127.0.0.1"}:{s.Port ?? 9292}"]
            : [wsgi ? "127.0.0.1:8000" : "127.0.0.1:9292"];
        var listens = new List<string[]>();
        foreach (var bind in binds.SelectMany(b => b.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (BindAddress.ToListen(bind, start, out var error) is { } listen)
            {
                listens.Add(s.Backlog is { } backlog ? [listen, $"backlog={Num(backlog)}"] : [listen]);
            }
            else
            {
                Error(error!);
            }
        }

        var main = new List<PlanDirective>
        {
            new("error_log", s.ErrorLog is null or "-" ? "stderr" : Path.GetFullPath(s.ErrorLog, start)),
            new("pid", s.PidFile is null ? Path.Combine(Path.GetTempPath(), $"nginxlite-{(wsgi ? "wsgi" : "rack")}-{pid}.pid") : Path.GetFullPath(s.PidFile, start)),
        };
        var accessLog = s.AccessLog switch
        {
            null => "off",
            "-" => "/dev/stderr",
            var f => Path.GetFullPath(f, start),
        };

        if (s.Reload == true && s.Config is { } config)
        {
            watch.Add(config);
        }

        return new AppServePlan
        {
            AppName = Name(s, wsgi),
            App = app,
            Listens = listens,
            Http = [new PlanDirective("access_log", accessLog)],
            Main = main,
            TouchReload = s.Reload == true ? watch : [],
        };
    }

    private static string Name(AppRunSettings s, bool wsgi)
    {
        var raw = s.ProcName ?? (wsgi ? s.App!.Split(':')[0] : Path.GetFileNameWithoutExtension(s.App ?? "rack"));
        var clean = new string([.. raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_')]);
        return clean.Length == 0 ? "app" : clean;
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
