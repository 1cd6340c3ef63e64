using System.IO.Enumeration;
using System.Text.RegularExpressions;
using NginxLite.Config.Syntax;

namespace NginxLite.Ini.Loading;

/// <summary>
/// uWSGI's config logic (<c>core/config.c</c>, docs ConfigLogic): after <c>for = a b c</c> or <c>if-env = X</c>, each
/// following key is passed through the block until <c>end</c>/<c>endfor</c>/<c>endif</c>; <c>%(_)</c> is the loop item
/// or the tested value. Tests look at the machine running NginxLite; entries a block produced carry its opener in
/// <see cref="IniEntry.Logic"/>. uWSGI 2.0.21 has no <c>else</c> (later versions do): it is an ordinary key inside the
/// block, kept or dropped with it, and NginxLite warns about it.
/// </summary>
internal sealed class IniLogic(IniLoader loader)
{
    private static readonly HashSet<string> Ends = ["end", "endfor", "endif", "end-if", "end-for"];

    private string? _kind;
    private string _argument = "";
    private SourcePosition _opener;

    public static bool IsOpener(string key) =>
        key is "for" or "for-glob" or "for-readline" or "for-times"
        || key.StartsWith("if-", StringComparison.Ordinal)
        || key is "ifdir" or "ifenv" or "ifexists" or "iffile" or "ifopt" or "ifplugin";

    /// <summary>True when the key was consumed by logic (an opener, an end, or a key inside a block).</summary>
    public bool Handle(string key, string raw, SourcePosition position, string directory, string file, bool hasEquals)
    {
        if (Ends.Contains(key))
        {
            Record(key, raw, position, directory, hasEquals);
            _kind = null;
            return true;
        }

        if (key == "else")
        {
            loader.Warn("uWSGI 2.0.21 has no \"else\": it and the keys after it belong to the block above (kept when its test passes)", position);
        }

        if (IsOpener(key))
        {
            if (_kind is not null)
            {
                loader.Error($"\"{key}\" inside \"{_kind}\" (opened at line {_opener.Line}): uWSGI does not support nested config logic", position);
                return true;
            }

            _argument = Record(key, raw, position, directory, hasEquals);
            (_kind, _opener) = (key, position);
            if (!Known(key))
            {
                loader.Error($"unknown config logic \"{key}\"", position);
                _kind = null;
            }

            return true;
        }

        if (_kind is null)
        {
            return false;
        }

        Run(key, raw, position, directory, file, hasEquals);
        return true;
    }

    public void Finish()
    {
        if (_kind is not null && _kind.StartsWith("for", StringComparison.Ordinal))
        {
            loader.Warn($"\"{_kind}\" is not closed by \"endfor\"", _opener);
        }
    }

    private static bool Known(string key) =>
        key is "for" or "for-glob" or "for-readline" or "for-times" or "if-env" or "ifenv" or "if-not-env" or "if-exists"
            or "ifexists" or "if-not-exists" or "if-file" or "iffile" or "if-not-file" or "if-dir" or "ifdir" or "if-directory"
            or "if-not-dir" or "if-opt" or "ifopt" or "if-not-opt" or "if-reload" or "if-not-reload" or "if-hostname"
            or "if-not-hostname" or "if-hostname-match" or "if-not-hostname-match" or "if-plugin" or "ifplugin" or "if-not-plugin";

    private string Record(string key, string raw, SourcePosition position, string directory, bool hasEquals)
    {
        var value = loader.Expand(raw, position, directory);
        loader.AddLogicEntry(new IniEntry(key, value, raw, position, IniEntryKind.Logic, hasEquals));
        return value;
    }

    private void Run(string key, string raw, SourcePosition position, string directory, string file, bool hasEquals)
    {
        void Add(string value) => loader.AddExpanded(key, value, position, directory, file, hasEquals, _opener);
        string Sub(string item) => raw.Replace("%(_)", item, StringComparison.Ordinal);

        switch (_kind)
        {
            case "for":
                foreach (var item in _argument.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    Add(Sub(item));
                }

                return;
            case "for-times":
                _ = int.TryParse(_argument, out var times);
                for (var i = 1; i <= times; i++)
                {
                    Add(Sub(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                return;
            case "for-readline":
                var lines = ReadLines(_argument, directory, position);
                foreach (var line in lines)
                {
                    Add(Sub(line));
                }

                return;
            case "for-glob":
                foreach (var match in Glob(_argument, directory))
                {
                    Add(Sub(match));
                }

                return;
        }

        var (passed, item2) = Test(_kind!, _argument, directory);
        if (passed)
        {
            Add(item2 is null ? raw : Sub(item2));
        }
    }

    private (bool Passed, string? Item) Test(string kind, string argument, string directory)
    {
        var negated = kind.StartsWith("if-not-", StringComparison.Ordinal);
        var what = negated ? kind["if-not-".Length..] : kind.StartsWith("if-", StringComparison.Ordinal) ? kind[3..] : kind[2..];
        string Full(string p) => Path.GetFullPath(p, directory);
        switch (what)
        {
            case "env" or "opt":
                var equals = argument.IndexOf('=');
                var name = equals >= 0 ? argument[..equals] : argument;
                var value = what == "env" ? loader.Environment(name) : loader.Placeholder(name);
                var has = value is not null && (equals < 0 || value == argument[(equals + 1)..]);
                return negated ? (!has, argument) : (has, value);
            case "exists":
                return (File.Exists(Full(argument)) || Directory.Exists(Full(argument))) != negated ? (true, argument) : (false, null);
            case "file":
                return File.Exists(Full(argument)) != negated ? (true, argument) : (false, null);
            case "dir" or "directory":
                return Directory.Exists(Full(argument)) != negated ? (true, argument) : (false, null);
            case "hostname":
                return (loader.Host.Hostname == argument) != negated ? (true, argument) : (false, null);
            case "hostname-match":
                return Regex.IsMatch(loader.Host.Hostname, argument) != negated ? (true, argument) : (false, null);
            case "reload":
                // A migration is a first start, never a reload.
                return (negated, null);
            case "plugin":
                // NginxLite loads no uWSGI plugins.
                return negated ? (true, argument) : (false, null);
            default:
                return (false, null);
        }
    }

    private List<string> ReadLines(string path, string directory, SourcePosition position)
    {
        var full = Path.GetFullPath(path, directory);
        try
        {
            return [.. File.ReadLines(full).Select(l => l.TrimEnd('\r'))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            loader.Error($"open() \"{full}\" failed (2: No such file or directory) for \"for-readline\"", position);
            return [];
        }
    }

    private static IEnumerable<string> Glob(string pattern, string directory)
    {
        var full = Path.GetFullPath(pattern, directory);
        var dir = Path.GetDirectoryName(full) ?? "/";
        var mask = Path.GetFileName(full);
        if (!Directory.Exists(dir))
        {
            return [pattern];
        }

        var matches = Directory.EnumerateFileSystemEntries(dir)
            .Where(p => FileSystemName.MatchesSimpleExpression(mask, Path.GetFileName(p)))
            .Order(StringComparer.Ordinal)
            .ToList();

        // GLOB_NOCHECK: no match gives the pattern itself.
        return matches.Count > 0 ? matches : [pattern];
    }
}
