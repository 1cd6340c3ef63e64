using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.Ini.Expansion;
using NginxLite.Ini.Syntax;

namespace NginxLite.Ini.Loading;

/// <summary>
/// Reads a uWSGI ini the way uWSGI does: <c>file.ini[:section]</c>, magic variables per file, then each key of the
/// section in order, expanded (<see cref="ValueExpander"/>) when it is added; <c>ini</c>/<c>include</c>/<c>inherit</c>
/// read another file in place (relative to the including file); <c>set-placeholder</c> defines variables;
/// <c>for</c>/<c>if-*</c> blocks run (<see cref="IniLogic"/>). Every error is collected; nothing throws.
/// </summary>
public sealed partial class IniLoader
{
    private readonly IniLoadOptions _options;
    private readonly HostFacts _host;
    private readonly DiagnosticBag _diagnostics = new();
    private readonly List<IniEntry> _entries = [];
    private readonly List<string> _files = [];
    private readonly Stack<string> _reading = new();
    private readonly HashSet<string> _placeholdersUsed = new(StringComparer.Ordinal);
    private readonly IniLogic _logic;
    private string _mainAsWritten = "";
    private string _lastFile = "";
    private int _ordinal;
    private bool _strict;

    private IniLoader(IniLoadOptions options)
    {
        _options = options;
        _host = options.Host ?? HostFacts.Current();
        _logic = new IniLogic(this);
    }

    /// <summary>Reads <paramref name="spec"/> (<c>path</c> or <c>path:section</c>) and everything it includes.</summary>
    public static IniDocument Load(string spec, IniLoadOptions? options = null)
    {
        var loader = new IniLoader(options ?? new IniLoadOptions());
        var (path, section) = SplitSection(spec, null);
        loader._mainAsWritten = path;
        loader.ReadFile(path, section ?? "uwsgi", null, loader._host.WorkingDirectory);
        loader._logic.Finish();
        return new IniDocument(
            Path.GetFullPath(path, loader._host.WorkingDirectory),
            section ?? "uwsgi",
            loader._entries,
            loader._files,
            loader._diagnostics.InNginxOrder(),
            loader._strict)
        {
            PlaceholdersUsed = loader._placeholdersUsed,
        };
    }

    /// <summary>uWSGI cuts the section at the last <c>:</c> (<c>file.ini:section</c>); <c>:section</c> alone means <paramref name="currentFile"/>.</summary>
    public static (string Path, string? Section) SplitSection(string spec, string? currentFile)
    {
        var colon = spec.LastIndexOf(':');
        if (colon < 0)
        {
            return (spec, null);
        }

        var path = spec[..colon];
        var section = colon + 1 < spec.Length ? spec[(colon + 1)..] : null;
        return (path.Length == 0 && currentFile is not null ? currentFile : path, section);
    }

    private void ReadFile(string asWritten, string section, SourcePosition? from, string baseDirectory)
    {
        var full = Path.GetFullPath(asWritten, baseDirectory);
        if (_reading.Count >= _options.MaxIncludeDepth || _reading.Contains(full + ":" + section))
        {
            Error($"\"{asWritten}\" includes itself (include cycle through {string.Join(" <- ", _reading)})", from);
            return;
        }

        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "2: No such file or directory",
                UnauthorizedAccessException => "13: Permission denied",
                _ => e.Message,
            };
            Error($"open() \"{full}\" failed ({reason})", from);
            return;
        }

        if (!_files.Contains(full))
        {
            _files.Add(full);
        }

        var extension = Path.GetExtension(full);
        if (extension is ".xml" or ".yaml" or ".yml" or ".json" or ".js")
        {
            Error($"\"{asWritten}\" is a {extension[1..]} config: NginxLite reads ini files only (convert it to ini)", from);
            return;
        }

        _reading.Push(full + ":" + section);
        var magic = new MagicVariables(asWritten, full, section, _mainAsWritten, _host);
        var lines = IniGrammar.Parse(magic.Substitute(text, out var lineMap));
        _lastFile = full;
        var current = "";
        var found = false;
        var directory = Path.GetDirectoryName(full) ?? "/";
        foreach (var line in lines)
        {
            switch (line.Kind)
            {
                case IniLineKind.Section:
                    current = line.Key;
                    break;
                case IniLineKind.Entry when current == section:
                    found = true;
                    Add(line.Key, line.Value, new SourcePosition(full, lineMap[line.Line - 1]), directory, full, line.HasEquals);
                    break;
            }
        }

        _reading.Pop();
        if (!found)
        {
            // uWSGI: *** WARNING: Can't find section "x" in INI configuration file y ***
            Warn($"can't find section \"{section}\" in INI configuration file {full}", from ?? new SourcePosition(full, 0));
        }
    }

    /// <summary>A key of the selected section, in uWSGI's add_exported_option order: logic first, then the key itself.</summary>
    private void Add(string key, string raw, SourcePosition position, string directory, string file, bool hasEquals)
    {
        if (_logic.Handle(key, raw, position, directory, file, hasEquals))
        {
            return;
        }

        AddExpanded(key, raw, position, directory, file, hasEquals, logic: null);
    }

    internal void AddExpanded(string key, string raw, SourcePosition position, string directory, string file, bool hasEquals, SourcePosition? logic)
    {
        var value = Expand(raw, position, directory);
        switch (key)
        {
            case "ini" or "include" or "inherit":
                _entries.Add(new IniEntry(key, value, raw, position, IniEntryKind.Include, hasEquals) { Logic = logic });
                // ":section" alone is the last file uWSGI read (ini.c's last_file), not necessarily this one.
                var (path, section) = SplitSection(value, _lastFile);
                if (path.Length == 0)
                {
                    Error($"\"{key}\" needs a file name", position);
                    return;
                }

                ReadFile(path, section ?? "uwsgi", position, directory);
                return;

            case "set-placeholder" or "set-ph" or "set":
                _entries.Add(new IniEntry(key, value, raw, position, IniEntryKind.Placeholder, hasEquals) { Logic = logic });
                var equals = value.IndexOf('=');
                if (equals <= 0)
                {
                    Error($"invalid \"{key}\" value \"{value}\": expected name=value", position);
                    return;
                }

                // set-placeholder defines a variable only; set adds the option too (uWSGI's uwsgi_opt_set_placeholder).
                _entries.Add(new IniEntry(value[..equals], value[(equals + 1)..], raw, position,
                    key == "set" ? IniEntryKind.Option : IniEntryKind.Placeholder, true) { Logic = logic });
                return;

            case "strict":
                _strict = IniBoolean.Parse(value);
                break;
        }

        _entries.Add(new IniEntry(key, value, raw, position, IniEntryKind.Option, hasEquals) { Logic = logic });
    }

    internal string Expand(string raw, SourcePosition position, string directory)
    {
        var expander = new ValueExpander(Environment, Placeholder)
        {
            BaseDirectory = directory,
            Report = (message, error) =>
            {
                if (error)
                {
                    Error(message, position);
                }
                else
                {
                    Warn(message, position);
                }
            },
        };
        return expander.Expand(raw);
    }

    internal string? Environment(string name) =>
        _options.Environment is { } env
            ? env.TryGetValue(name, out var v) ? v : null
            : System.Environment.GetEnvironmentVariable(name);

    /// <summary>uwsgi_get_exported_opt: the first key with that name, whatever it is.</summary>
    internal string? Placeholder(string name)
    {
        _placeholdersUsed.Add(name);
        foreach (var entry in _entries)
        {
            if (entry.Key == name)
            {
                return entry.Value;
            }
        }

        return null;
    }

    internal HostFacts Host => _host;

    internal void AddLogicEntry(IniEntry entry) => _entries.Add(entry);

    internal void Error(string message, SourcePosition? position) => _diagnostics.Emerg(message, position, _ordinal++);

    internal void Warn(string message, SourcePosition? position) => _diagnostics.Warn(message, position, _ordinal++);
}
