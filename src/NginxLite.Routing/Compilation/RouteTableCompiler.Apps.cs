using System.Globalization;
using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.Ini.Loading;
using NginxLite.Ini.Migration;
using NginxLite.Routing.Apps;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>
    /// The <c>app NAME { … }</c> blocks of every http block, by name. <c>ini FILE;</c> reads a uwsgi.ini with the Ini
    /// project's loader and option table (the same translation <c>nginxlite migrate</c> prints) and applies the
    /// directives it becomes at that point of the block, so directives after it override the ini.
    /// </summary>
    private Dictionary<string, AppSettings> CompileApps(BoundDirective root)
    {
        var apps = new Dictionary<string, AppSettings>(StringComparer.Ordinal);
        foreach (var block in root.Children.Where(c => c.Name == "http").SelectMany(h => h.Children).Where(c => c.Name == "app" && c.Arguments.Count == 1))
        {
            var app = new AppSettings(block.Arg(0))
            {
                Chdir = DirectoryOf(block.Position.File),
                Position = block.Position.ToString(),
            };
            foreach (var d in block.Children)
            {
                if (d.Name == "ini")
                {
                    app = ApplyIni(app, d);
                    continue;
                }

                app = ApplyApp(app, d.Name, [.. d.Arguments.Select(a => a.Value)], DirectoryOf(d.Position.File));
            }

            if (app.Module is null && app.WsgiFile is null && app.Rack is null && app.IniFile is not null)
            {
                _diagnostics.Add(Diagnostic.Emerg($"app \"{app.Name}\" needs one of \"module\", \"wsgi_file\" or \"rack\" (none in \"{app.IniFile}\")", block.Position, block.Ordinal));
            }

            apps[app.Name] = app;
        }

        return apps;
    }

    private AppSettings ApplyIni(AppSettings app, BoundDirective d)
    {
        var path = Absolute(d.Arg(0), DirectoryOf(d.Position.File));
        if (!File.Exists(IniLoader.SplitSection(path, null).Path))
        {
            _diagnostics.Add(Diagnostic.Emerg($"open() \"{path}\" failed (2: No such file or directory)", d.Position, d.Ordinal));
            return app;
        }

        var translation = IniTranslator.Translate(IniLoader.Load(path), appName: app.Name);
        foreach (var e in translation.CheckDiagnostics.Where(x => x.IsError))
        {
            _diagnostics.Add(e with { Ordinal = d.Ordinal });
        }

        // Relative paths in an ini are relative to the ini's directory (where `uwsgi --ini` is usually started).
        var baseDir = DirectoryOf(translation.Document.MainFile);
        app = app with { IniFile = path, Chdir = baseDir };
        foreach (var a in translation.App)
        {
            app = ApplyApp(app, a.Name, a.Arguments, baseDir);
        }

        return app;
    }

    /// <summary>One app directive (from the config or from an ini's translation).</summary>
    private static AppSettings ApplyApp(AppSettings app, string name, IReadOnlyList<string> args, string baseDir)
    {
        var v = args.Count > 0 ? args[0] : "";
        return name switch
        {
            "module" => app with { Module = v },
            "wsgi_file" => app with { WsgiFile = v },
            "callable" => app with { Callable = v },
            "rack" => app with { Rack = v },
            "chdir" => app with { Chdir = Absolute(v, baseDir) },
            "virtualenv" or "home" => app with { Virtualenv = Absolute(v, baseDir) },
            "pythonpath" => app with { PythonPath = [.. app.PythonPath, Absolute(v, baseDir)] },
            "processes" => app with { Processes = Int(v, app.Processes) },
            "threads" => app with { Threads = Int(v, app.Threads) },
            "user" => app with { User = v, Group = args.Count > 1 ? args[1] : app.Group },
            "group" => app with { Group = v },
            "env" => app with { Env = [.. app.Env, v] },
            "harakiri" => app with { Harakiri = NginxValue.TryParseTime(v, out var t) ? t : app.Harakiri },
            "max_requests" => app with { MaxRequests = long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : app.MaxRequests },
            "reload_on_rss" => app with { ReloadOnRss = NginxValue.TryParseSize(v, out var rss) ? rss : app.ReloadOnRss },
            "lazy_apps" => app with { LazyApps = v == "on" },
            "listen_backlog" => app with { ListenBacklog = Int(v, app.ListenBacklog) },
            "buffer_size" => app with { BufferSize = NginxValue.TryParseSize(v, out var b) && b is > 0 and <= 65535 ? (int)b : app.BufferSize },
            "socket" => app with { Socket = Absolute(v.StartsWith("unix:", StringComparison.Ordinal) ? v[5..] : v, baseDir) },
            "chmod_socket" => app with { ChmodSocket = v },
            "chown_socket" => app with { ChownSocket = v },
            _ => app,
        };
    }

    private static int Int(string v, int fallback) =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    private static string Absolute(string path, string baseDir) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDir, path));

    private static string DirectoryOf(string file) =>
        Path.GetDirectoryName(Path.GetFullPath(file)) ?? "/";
}
