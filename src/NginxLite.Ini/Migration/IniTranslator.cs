using System.Globalization;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.Ini.Loading;
using NginxLite.Ini.Options;

namespace NginxLite.Ini.Migration;

/// <summary>
/// Turns a read ini into NginxLite directives, one report row per key, using <see cref="UwsgiOptionTable"/>.
/// Values are checked here (numbers, <c>MOUNT=DIR</c>) so the printed config passes <c>nginxlite -t</c>.
/// </summary>
public sealed class IniTranslator
{
    private readonly IniDocument _document;
    private readonly bool _strict;
    private readonly DiagnosticBag _diagnostics = new();
    private readonly List<ReportRow> _report = [];
    private readonly List<AppDirective> _app = [];
    private readonly List<AppDirective> _listens = [];
    private readonly List<StaticMap> _staticMaps = [];
    private readonly List<AppDirective> _http = [];
    private readonly List<AppDirective> _main = [];
    private readonly List<string> _sockets = [];
    private readonly List<string> _unsupported = [];
    private const string UserPending = "user";
    private (string Value, SourcePosition Position)? _uid, _gid;
    private int _ordinal = 100_000;

    private IniTranslator(IniDocument document, bool strict)
    {
        _document = document;
        _strict = strict || document.Strict;
    }

    public static AppTranslation Translate(IniDocument document, bool strict = false, string? appName = null)
    {
        var t = new IniTranslator(document, strict);
        foreach (var entry in document.Entries)
        {
            t.Entry(entry);
        }

        t.Finish();
        return new AppTranslation
        {
            Document = document,
            AppName = appName ?? NameOf(document.MainFile),
            App = t._app,
            Listens = t._listens,
            StaticMaps = t._staticMaps,
            Http = t._http,
            Main = t._main,
            Sockets = t._sockets,
            UnsupportedComments = t._unsupported,
            Report = t._report,
            Diagnostics = [.. document.Diagnostics, .. t._diagnostics.InNginxOrder()],
        };
    }

    /// <summary>The app's name: the ini's file name without extension, reduced to letters, digits, <c>_</c>, <c>-</c>, <c>.</c>.</summary>
    public static string NameOf(string iniPath)
    {
        var name = Path.GetFileNameWithoutExtension(iniPath);
        var clean = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_')]);
        return clean.Length == 0 ? "app" : clean;
    }

    private void Entry(IniEntry entry)
    {
        switch (entry.Kind)
        {
            case IniEntryKind.Include:
                Row(entry, "mapped", "", $"\"{entry.Value}\" read in place");
                return;
            case IniEntryKind.Logic:
                Row(entry, "mapped", "", "config logic, evaluated while reading on this machine");
                return;
            case IniEntryKind.Placeholder:
                Row(entry, "mapped", "", "placeholder for %(…)");
                return;
        }

        if (!UwsgiOptionTable.TryGet(entry.Key, out var option))
        {
            var dashed = entry.Key.Replace('_', '-');
            if (dashed != entry.Key && UwsgiOptionTable.TryGet(dashed, out option))
            {
                Warn($"\"{entry.Key}\" is read as \"{dashed}\"; uWSGI does not read \"_\" as \"-\" and would have kept it as a placeholder: write \"{dashed}\"", entry.Position);
            }
            else
            {
                Unknown(entry);
                return;
            }
        }

        switch (option.Outcome)
        {
            case OptionOutcome.Ignored:
                Row(entry, "ignored", "", option.Reason);
                return;
            case OptionOutcome.Unsupported:
                Unsupported(entry, option.Reason);
                return;
        }

        Map(entry, option);
    }

    private void Unknown(IniEntry entry)
    {
        if (_document.PlaceholdersUsed.Contains(entry.Key))
        {
            Row(entry, "ignored", "", "not a uWSGI option: a custom key used as a %(placeholder)");
            return;
        }

        var closest = UwsgiOptionTable.Closest(entry.Key);
        var hint = closest is null ? "" : $" (did you mean \"{closest}\"?)";
        var message = $"unknown uWSGI option \"{entry.Key}\"{hint}";
        if (_strict)
        {
            _diagnostics.Emerg(message, entry.Position, _ordinal++);
        }
        else
        {
            Warn(message, entry.Position);
        }

        Row(entry, "unknown", "", closest is null ? "not a uWSGI 2.0.21 option (uWSGI keeps it as a placeholder)" : $"not a uWSGI 2.0.21 option; did you mean \"{closest}\"?");
    }

    private void Unsupported(IniEntry entry, string what)
    {
        Row(entry, "unsupported", "", what);
        _unsupported.Add($"unsupported: {entry.Key} = {entry.Value}  ({Short(entry.Position)}): {what}");
    }

    private void Map(IniEntry entry, UwsgiOption option)
    {
        var value = entry.Value;
        var name = option.TargetDirective;
        switch (option.Target)
        {
            case "app:processes" or "app:threads" or "app:max_requests" or "app:listen_backlog" or "app:buffer_size":
                if (Number(entry) is { } n)
                {
                    App(entry, name, n);
                }

                return;
            case "app:harakiri":
                if (Number(entry) is { } seconds)
                {
                    App(entry, name, seconds + "s");
                }

                return;
            case "app:reload_on_rss":
                if (Number(entry) is { } megabytes)
                {
                    App(entry, name, megabytes + "m");
                }

                return;
            case "app:lazy_apps":
                App(entry, name, IniBoolean.Parse(value) ? "on" : "off");
                return;
            case "app:chmod_socket":
                App(entry, name, value.Length == 0 ? "666" : value);
                return;
            case "app:user":
                if (option.Canonical == "gid")
                {
                    _gid = (value, entry.Position);
                }
                else
                {
                    _uid = (value, entry.Position);
                }

                Row(entry, "mapped", UserPending, option.Reason);
                return;
            case "app:socket":
                if (_sockets.Count > 0)
                {
                    Unsupported(entry, $"an app has one uwsgi socket; \"{_sockets[0]}\" is used, add a second app block for this one");
                    return;
                }

                _sockets.Add(value);
                App(entry, name, value);
                return;
            case "app:env" or "app:pythonpath":
                App(entry, name, value, multiple: true);
                return;
            case "server:listen":
                if (ListenAddress.FromUwsgi(value) is { } listen)
                {
                    var d = new AppDirective("listen", [listen], entry.Position);
                    _listens.Add(d);
                    Row(entry, "mapped", d.Text, option.Reason);
                }
                else
                {
                    Unsupported(entry, $"\"{value}\" is not an address NginxLite can listen on (host:port, :port or a Unix socket path)");
                }

                return;
            case "server:static_map":
                var equals = value.IndexOf('=');
                if (equals <= 0 || equals == value.Length - 1)
                {
                    Error($"invalid \"static-map\" value \"{value}\": expected MOUNTPOINT=DIRECTORY", entry.Position);
                    Row(entry, "unsupported", "", "expected MOUNTPOINT=DIRECTORY");
                    return;
                }

                var map = new StaticMap(value[..equals], value[(equals + 1)..], entry.Position);
                _staticMaps.Add(map);
                Row(entry, "mapped", $"location {map.Mount} {{ alias {map.Directory}; }}", option.Reason);
                return;
            case "http:access_log":
                if (IniBoolean.Parse(value))
                {
                    Emit(_http, entry, "access_log", "off");
                }
                else
                {
                    Row(entry, "ignored", "", "false: requests stay logged");
                }

                return;
            case "main:error_log" or "main:pid":
                if (value.Length == 0)
                {
                    Row(entry, "ignored", "", "no file given");
                    return;
                }

                Emit(_main, entry, name, value);
                return;
            case "config:strict" or "config:include" or "config:placeholder" or "config:set" or "config:logic":
                Row(entry, "mapped", "", option.Reason);
                return;
        }

        if (option.TargetScope == "app")
        {
            App(entry, name, value);
            return;
        }

        throw new InvalidOperationException($"option table target \"{option.Target}\" of \"{option.Name}\" has no translation");
    }

    /// <summary>Single-valued app directives keep the last value (a later key overrides, as in uWSGI).</summary>
    private void App(IniEntry entry, string name, string value, bool multiple = false)
    {
        if (!multiple)
        {
            var earlier = _app.FindIndex(d => d.Name == name);
            if (earlier >= 0)
            {
                _app.RemoveAt(earlier);
            }
        }

        Emit(_app, entry, name, value);
    }

    private void Emit(List<AppDirective> into, IniEntry entry, string name, string value)
    {
        var d = new AppDirective(name, [value], entry.Position);
        into.Add(d);
        var found = UwsgiOptionTable.TryGet(entry.Key, out var o) || UwsgiOptionTable.TryGet(entry.Key.Replace('_', '-'), out o);
        Row(entry, "mapped", d.Text, found ? o.Reason : "");
    }

    private string? Number(IniEntry entry)
    {
        var v = entry.Value;
        if (v.Length > 0 && v.Length < 10 && v.All(char.IsAsciiDigit))
        {
            return long.Parse(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        Error($"invalid value \"{v}\" of \"{entry.Key}\": a number is expected", entry.Position);
        Row(entry, "unsupported", "", "not a number");
        return null;
    }

    private void Finish()
    {
        AppDirective? user = null;
        if (_uid is { } uid)
        {
            var args = _gid is { } g ? new[] { uid.Value, g.Value } : [uid.Value];
            user = new AppDirective("user", args, uid.Position);
        }
        else if (_gid is { } gid)
        {
            user = new AppDirective("group", [gid.Value], gid.Position);
        }

        if (user is not null)
        {
            // uid and gid are one directive, known only once both are read.
            _app.Add(user);
            for (var i = 0; i < _report.Count; i++)
            {
                if (ReferenceEquals(_report[i].Becomes, UserPending))
                {
                    _report[i] = _report[i] with { Becomes = user.Text };
                }
            }
        }

        if (!_app.Any(d => d.Name is "module" or "wsgi_file" or "rack"))
        {
            Warn("the ini names no application (module, wsgi-file or rack): the app block cannot start workers", _document.Entries.Count > 0 ? _document.Entries[0].Position : new SourcePosition(_document.MainFile, 0));
        }
    }

    private void Row(IniEntry entry, string outcome, string becomes, string reason) =>
        _report.Add(new ReportRow(entry.Position, entry.Key, entry.Value, outcome, becomes, reason));

    private void Warn(string message, SourcePosition position) => _diagnostics.Warn(message, position, _ordinal++);

    private void Error(string message, SourcePosition position) => _diagnostics.Emerg(message, position, _ordinal++);

    private static string Short(SourcePosition p) => $"{Path.GetFileName(p.File)}:{p.Line}";
}
