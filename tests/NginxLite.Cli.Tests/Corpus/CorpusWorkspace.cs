using NginxLite.Cli.Tests.Support;

namespace NginxLite.Cli.Tests.Corpus;

/// <summary>
/// A private copy of the corpus (made once per test class) in which one entry at a time gets its stubs applied the
/// way the manifest describes them, so the config is checked as nginx checked it: empty stand-ins for missing
/// include files, Debian's params files, and definitions (log_format, map, upstream, events) from another file.
/// </summary>
public sealed class CorpusWorkspace : IDisposable
{
    private readonly TempDir _dir = new();
    private string? _restorePath;
    private byte[]? _restoreContent;

    public CorpusWorkspace()
    {
        Root = System.IO.Path.Combine(_dir.Path, "corpus");
        CopyTree(RepoPaths.NginxCorpus, Root);
    }

    /// <summary>Apply <paramref name="entry"/>'s stubs (undoing the previous entry's edits) and return the file to check.</summary>
    public string Prepare(CorpusEntry entry)
    {
        if (_restorePath is not null)
        {
            File.WriteAllBytes(_restorePath, _restoreContent!);
            _restorePath = null;
        }

        VirtualFiles.Clear();
        var definitions = new List<string>();
        var wrapWithEvents = false;

        foreach (var stub in entry.Stubs)
        {
            var colon = stub.IndexOf(':', StringComparison.Ordinal);
            var (kind, arg) = (stub[..colon], stub[(colon + 1)..]);
            switch (kind)
            {
                case "empty":
                    AddFile(arg, []);
                    break;
                case "debian-copy":
                    AddFile(arg, File.ReadAllBytes(System.IO.Path.Combine(RepoPaths.Conf, System.IO.Path.GetFileName(arg))));
                    break;
                case "dep":
                    var parts = arg.Split(':', 2);
                    switch (parts[0])
                    {
                        case "log_format": definitions.Add($"log_format \"{parts[1]}\" '$remote_addr';"); break;
                        case "variable": definitions.Add($"map $host ${parts[1]} {{ default \"\"; }}"); break;
                        case "upstream": definitions.Add($"upstream {parts[1]} {{ server 127.0.0.1:9000; }}"); break;
                        case "wrap-with-events": wrapWithEvents = true; break;
                        default: throw new InvalidOperationException("unknown dep stub " + stub);
                    }

                    break;
                default:
                    // user:, group:, hosts:, env-ip:, mkdir:, module:, cert+key: stand in for the environment;
                    // the corpus test runs with environment checks off, so they need nothing here.
                    break;
            }
        }

        var target = System.IO.Path.Combine(Root, entry.Path);
        if (entry.Kind == "full")
        {
            _restorePath = target;
            _restoreContent = File.ReadAllBytes(target);
            var text = File.ReadAllText(target);
            if (definitions.Count > 0)
            {
                text = InsertIntoHttpLine(text, string.Join(' ', definitions));
            }

            if (wrapWithEvents)
            {
                text += "\nevents {}\n";
            }

            File.WriteAllText(target, text);
            return target;
        }
        else
        {
            var defs = string.Join('\n', definitions);
            var include = $"include {target};";
            var body = entry.Kind switch
            {
                "http-snippet" => $"events {{}}\nhttp {{\n{defs}\n{include}\n}}\n",
                "server-snippet" => $"events {{}}\nhttp {{\n{defs}\nserver {{\n{include}\n}}\n}}\n",
                "location-snippet" => $"events {{}}\nhttp {{\n{defs}\nserver {{\nlocation / {{\n{include}\n}}\n}}\n}}\n",
                "main-snippet" => (wrapWithEvents ? "events {}\n" : "") + include + "\n",
                _ => throw new InvalidOperationException("unknown kind " + entry.Kind),
            };

            // In the folder relative includes resolved from when nginx checked it: see ConfigDirectoryFor.
            var wrapper = System.IO.Path.Combine(ConfigDirectoryFor(target), ".nginxlite-wrapper.conf");
            File.WriteAllText(wrapper, body);
            return wrapper;
        }
    }

    /// <summary>The copy of the corpus folder; stands for <c>$CORPUS</c>.</summary>
    public string Root { get; }

    /// <summary>Files outside the corpus that stubs made (absolute paths such as /etc/nginx/proxy.conf), served to the loader.</summary>
    public Dictionary<string, byte[]> VirtualFiles { get; } = new(StringComparer.Ordinal);

    public string Expand(string message) => message.Replace("$CORPUS", Root, StringComparison.Ordinal);

    public void Dispose() => _dir.Dispose();

    private void AddFile(string path, byte[] content)
    {
        if (path.StartsWith("$CORPUS/", StringComparison.Ordinal))
        {
            var full = Expand(path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            if (!File.Exists(full))
            {
                File.WriteAllBytes(full, content);
            }
        }
        else
        {
            VirtualFiles[path] = content;
        }
    }

    /// <summary>
    /// The snippet's own folder, or the nearest folder above it from which every relative include of the snippet
    /// exists (a project's conf root, e.g. <c>globals/x.conf</c> included from <c>sites-available/</c>).
    /// </summary>
    private string ConfigDirectoryFor(string snippet)
    {
        var includes = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(snippet), @"(?m)^\s*include\s+([^;\s*?\[]+)\s*;")
            .Select(m => m.Groups[1].Value.Trim('"', '\''))
            .Where(p => !System.IO.Path.IsPathRooted(p))
            .ToList();
        var own = System.IO.Path.GetDirectoryName(snippet)!;
        for (var dir = own; dir is not null && dir.StartsWith(Root, StringComparison.Ordinal); dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (includes.All(i => File.Exists(System.IO.Path.Combine(dir, i))))
            {
                return dir;
            }
        }

        return own;
    }

    // Definitions go on the line of "http {" so no line number after it moves.
    private static string InsertIntoHttpLine(string text, string definitions)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var brace = lines[i].IndexOf('{', StringComparison.Ordinal);
            if (brace >= 0 && lines[i][..brace].Trim() == "http")
            {
                lines[i] = lines[i][..(brace + 1)] + " " + definitions + " " + lines[i][(brace + 1)..];
                return string.Join('\n', lines);
            }
        }

        throw new InvalidOperationException("no http block to put the stub definitions in");
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
