namespace NginxLite.Cli.Apps;

/// <summary>
/// The settings of <c>nginxlite wsgi</c>/<c>rack</c>, named as gunicorn's settings (the names a gunicorn.conf.py
/// uses). Null or empty = not given, so the command line can be laid over the config file field by field: gunicorn's
/// precedence is "Configuration File, then Command Line" (docs: Configuration Overview).
/// </summary>
internal sealed record AppRunSettings
{
    public List<string> Bind { get; init; } = [];
    public int? Workers { get; init; }
    public int? Threads { get; init; }
    public string? WorkerClass { get; init; }
    public string? Config { get; init; }
    public string? Chdir { get; init; }

    /// <summary>gunicorn's <c>pythonpath</c>: comma-separated directories.</summary>
    public string? PythonPath { get; init; }

    /// <summary>gunicorn's <c>raw_env</c>: <c>KEY=VALUE</c> entries.</summary>
    public List<string> RawEnv { get; init; } = [];

    public int? Timeout { get; init; }
    public int? MaxRequests { get; init; }
    public string? User { get; init; }
    public string? Group { get; init; }
    public int? Backlog { get; init; }
    public string? AccessLog { get; init; }
    public string? ErrorLog { get; init; }
    public string? PidFile { get; init; }
    public string? ProcName { get; init; }
    public bool? Reload { get; init; }

    /// <summary>The WSGI app (<c>MODULE:CALLABLE</c>) or the Rack config.ru.</summary>
    public string? App { get; init; }

    /// <summary>rackup's <c>-o/--host</c> and <c>-p/--port</c> (one listener; <c>--bind</c> wins).</summary>
    public string? Host { get; init; }
    public int? Port { get; init; }

    /// <summary>The shim's import guard (a module that starts its own dev server at import); on unless turned off.</summary>
    public bool? ImportGuard { get; init; }

    /// <summary>gunicorn's <c>--preload</c>/<c>preload_app</c> (WSGI) or puma's <c>--preload</c> (Rack): the app is loaded
    /// once and the workers forked from it (<c>lazy_apps off</c>).</summary>
    public bool? Preload { get; init; }

    public bool Help { get; init; }

    /// <summary>Fields set here win over <paramref name="file"/>'s (lists too: a command-line <c>--bind</c> replaces the file's).</summary>
    public AppRunSettings Over(AppRunSettings file) => new()
    {
        Bind = Bind.Count > 0 ? Bind : file.Bind,
        Workers = Workers ?? file.Workers,
        Threads = Threads ?? file.Threads,
        WorkerClass = WorkerClass ?? file.WorkerClass,
        Config = Config ?? file.Config,
        Chdir = Chdir ?? file.Chdir,
        PythonPath = PythonPath ?? file.PythonPath,
        RawEnv = RawEnv.Count > 0 ? RawEnv : file.RawEnv,
        Timeout = Timeout ?? file.Timeout,
        MaxRequests = MaxRequests ?? file.MaxRequests,
        User = User ?? file.User,
        Group = Group ?? file.Group,
        Backlog = Backlog ?? file.Backlog,
        AccessLog = AccessLog ?? file.AccessLog,
        ErrorLog = ErrorLog ?? file.ErrorLog,
        PidFile = PidFile ?? file.PidFile,
        ProcName = ProcName ?? file.ProcName,
        Reload = Reload ?? file.Reload,
        App = App ?? file.App,
        Host = Host ?? file.Host,
        Port = Port ?? file.Port,
        ImportGuard = ImportGuard ?? file.ImportGuard,
        Preload = Preload ?? file.Preload,
        Help = Help || file.Help,
    };
}
