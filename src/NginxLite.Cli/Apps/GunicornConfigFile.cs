using System.Globalization;
using System.Text.RegularExpressions;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Cli.Apps;

/// <summary>
/// Reads a gunicorn.conf.py without running it: only simple assignments <c>name = literal</c> (Python literal
/// syntax, see <see cref="PythonLiteral"/>; a literal may span lines inside brackets). gunicorn executes the file as
/// Python; anything beyond literals (imports, calls, hooks such as <c>def on_starting</c>) is an <c>[emerg]</c> naming
/// the line, so nothing is silently dropped. Settings NginxLite has no use for are a <c>[warn]</c>; names gunicorn
/// does not know are skipped, as gunicorn skips them.
/// </summary>
internal static partial class GunicornConfigFile
{
    /// <summary>gunicorn settings that do not change how NginxLite serves, each with why.</summary>
    private static readonly Dictionary<string, string> Ignored = new(StringComparer.Ordinal)
    {
        ["graceful_timeout"] = "SIGQUIT finishes in-flight requests (up to 30 s)",
        ["keepalive"] = "keep-alive is the HTTP front end's (keepalive_timeout)",
        ["loglevel"] = "the error_log level",
        ["capture_output"] = "the app's stdout and stderr always go to the error log",
        ["worker_connections"] = "no async workers",
        ["max_requests_jitter"] = "workers are recycled at max_requests exactly",
        ["forwarded_allow_ips"] = "REMOTE_ADDR is the client of the HTTP front end",
        ["proxy_allow_ips"] = "REMOTE_ADDR is the client of the HTTP front end",
        ["daemon"] = "run nginxlite under systemd instead of daemonizing",
        ["umask"] = "sockets get their mode from chmod_socket",
        ["worker_tmp_dir"] = "no heartbeat files",
        ["limit_request_line"] = "the HTTP front end's limits apply",
        ["limit_request_fields"] = "the HTTP front end's limits apply",
        ["limit_request_field_size"] = "the HTTP front end's limits apply",
        ["access_log_format"] = "the access log uses nginx's combined format",
        ["accesslog_format"] = "the access log uses nginx's combined format",
        ["logconfig"] = "the error_log is NginxLite's",
        ["logconfig_dict"] = "the error_log is NginxLite's",
        ["syslog"] = "use error_log syslog: in a config",
        ["statsd_host"] = "no statsd metrics",
        ["spew"] = "no tracing",
        ["check_config"] = "use nginxlite -t",
        ["print_config"] = "use nginxlite -T",
        ["reload_engine"] = "--reload watches the app's file by its mtime",
        ["reload_extra_files"] = "--reload watches the app's file only",
        ["sendfile"] = "the front end decides",
        ["reuse_port"] = "the front end decides",
        ["initgroups"] = "the worker gets the user's groups",
        ["tmp_upload_dir"] = "bodies stream to the app",
        ["secure_scheme_headers"] = "wsgi.url_scheme is the front end's scheme",
        ["strip_header_spaces"] = "the HTTP front end parses headers",
        ["disable_redirect_access_to_syslog"] = "no syslog",
        ["enable_stdio_inheritance"] = "the app's output goes to the error log",
        ["default_proc_name"] = "process names are not changed",
    };

    public static (AppRunSettings Settings, List<Diagnostic> Diagnostics) Read(string path)
    {
        var diagnostics = new List<Diagnostic>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Emerg($"could not read the gunicorn config file \"{path}\" ({e.Message})", null, 0));
            return (new AppRunSettings(), diagnostics);
        }

        var values = new List<(string Name, object? Value, SourcePosition At)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var at = new SourcePosition(path, i + 1);
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            var m = Assignment().Match(line);
            if (!m.Success)
            {
                diagnostics.Add(NotLiteral(trimmed, at, diagnostics.Count));
                continue;
            }

            // A literal continues on the next lines while a bracket is open.
            var text = m.Groups[2].Value;
            while (PythonLiteral.OpenBrackets(text) > 0 && i + 1 < lines.Length)
            {
                text += "\n" + lines[++i];
            }

            if (!PythonLiteral.TryParse(text, out var value))
            {
                diagnostics.Add(NotLiteral(trimmed, at, diagnostics.Count));
                continue;
            }

            values.Add((m.Groups[1].Value, value, at));
        }

        var settings = new AppRunSettings();
        foreach (var (name, value, at) in values)
        {
            settings = Apply(settings, name, value, at, diagnostics);
        }

        return (settings, diagnostics);
    }

    private static Diagnostic NotLiteral(string line, SourcePosition at, int ordinal) => Diagnostic.Emerg(
        $"only simple assignments \"name = literal\" (strings, numbers, booleans, None, lists, tuples, dicts) are read from a gunicorn config file, not \"{line}\"; set the value as a literal or pass it on the command line",
        at,
        ordinal);

    private static AppRunSettings Apply(AppRunSettings s, string name, object? value, SourcePosition at, List<Diagnostic> diagnostics)
    {
        string? Text()
        {
            if (value is string or null)
            {
                return (string?)value;
            }

            if (value is long n)
            {
                return n.ToString(CultureInfo.InvariantCulture);
            }

            Bad("a string");
            return null;
        }

        int? Number()
        {
            if (value is long n and >= 0 and <= int.MaxValue)
            {
                return (int)n;
            }

            Bad("a non-negative integer");
            return null;
        }

        List<string> Strings()
        {
            switch (value)
            {
                case string one:
                    return [one];
                case List<object?> many when many.All(v => v is string):
                    return [.. many.Cast<string>()];
                default:
                    Bad("a string or a list of strings");
                    return [];
            }
        }

        bool? Boolean()
        {
            if (value is bool b)
            {
                return b;
            }

            Bad("True or False");
            return null;
        }

        void Bad(string expected) =>
            diagnostics.Add(Diagnostic.Emerg($"gunicorn setting \"{name}\" must be {expected}", at, diagnostics.Count));

        switch (name)
        {
            case "bind": return s with { Bind = Strings() };
            case "workers": return s with { Workers = Number() };
            case "threads": return s with { Threads = Number() };
            case "worker_class": return s with { WorkerClass = Text() };
            case "chdir": return s with { Chdir = Text() };
            case "pythonpath": return s with { PythonPath = Text() };
            case "raw_env": return s with { RawEnv = Strings() };
            case "timeout": return s with { Timeout = Number() };
            case "max_requests": return s with { MaxRequests = Number() };
            case "user": return s with { User = Text() };
            case "group": return s with { Group = Text() };
            case "backlog": return s with { Backlog = Number() };
            case "accesslog": return s with { AccessLog = Text() };
            case "errorlog": return s with { ErrorLog = Text() };
            case "pidfile": return s with { PidFile = Text() };
            case "proc_name": return s with { ProcName = Text() };
            case "wsgi_app": return s with { App = Text() };
            case "reload": return s with { Reload = Boolean() ?? s.Reload };
            case "preload_app": return s with { Preload = Boolean() ?? s.Preload };
        }

        if (Ignored.TryGetValue(name, out var why))
        {
            diagnostics.Add(Diagnostic.Warn($"gunicorn setting \"{name}\" is ignored by NginxLite: {why}", at, diagnostics.Count));
        }
        else if (name.StartsWith("on_", StringComparison.Ordinal) || name.StartsWith("pre_", StringComparison.Ordinal) || name.StartsWith("post_", StringComparison.Ordinal) || name.StartsWith("when_", StringComparison.Ordinal) || name.EndsWith("_exit", StringComparison.Ordinal) || name.StartsWith("ssl_", StringComparison.Ordinal) || name is "certfile" or "keyfile" or "ca_certs" or "ciphers" or "do_handshake_on_connect" or "suppress_ragged_eofs" or "cert_reqs" or "paste" or "raw_paste_global_conf" or "worker_int" or "worker_abort" or "nworkers_changed" or "child_exit")
        {
            diagnostics.Add(Diagnostic.Emerg($"gunicorn setting \"{name}\" is not supported by NginxLite (server hooks and TLS are not run; put TLS in an nginx-style server block)", at, diagnostics.Count));
        }

        // Other names are not gunicorn settings: gunicorn ignores them too.
        return s;
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.*)$")]
    private static partial Regex Assignment();
}
