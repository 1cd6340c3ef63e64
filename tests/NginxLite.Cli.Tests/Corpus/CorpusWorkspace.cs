using NginxLite.TestSupport;
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
        RestoreSymlinks(Root);
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
        Hosts.Clear();
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
                case "hosts":
                    // The stub put the name in /etc/hosts as the loopback address.
                    Hosts[arg] = "127.0.0.1";
                    break;
                default:
                    // user:, group:, env-ip:, mkdir:, module:, cert+key: stand in for the environment;
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
                "main-snippet" => include + "\n",
                _ => throw new InvalidOperationException("unknown kind " + entry.Kind),
            };

            // In the folder relative includes resolved from when nginx checked it: see ConfigDirectoryFor.
            var wrapper = System.IO.Path.Combine(ConfigDirectoryFor(target), ".nginxlite-wrapper.conf");
            File.WriteAllText(wrapper, body);
            if (entry.Kind == "main-snippet" && !DefinesEvents(wrapper))
            {
                // "by trial", as the manifest did: a main snippet gets an events block unless it brings one.
                File.WriteAllText(wrapper, "events {}\n" + body);
            }

            return wrapper;
        }
    }

    /// <summary>The copy of the corpus folder; stands for <c>$CORPUS</c>.</summary>
    public string Root { get; }

    /// <summary>Files outside the corpus that stubs made (absolute paths such as /etc/nginx/proxy.conf), served to the loader.</summary>
    public Dictionary<string, byte[]> VirtualFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Names the stubs put in /etc/hosts.</summary>
    public Dictionary<string, string> Hosts { get; } = new(StringComparer.OrdinalIgnoreCase);

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
    /// Where relative includes resolved when nginx checked the snippet: the nearest folder at or above it that holds
    /// the project's <c>nginx.conf</c> (its conf root, e.g. <c>globals/x.conf</c> from <c>sites-available/</c>), else its own.
    /// </summary>
    private string ConfigDirectoryFor(string snippet)
    {
        var own = System.IO.Path.GetDirectoryName(snippet)!;
        for (var dir = own; dir is not null && dir.Length > Root.Length; dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (File.Exists(System.IO.Path.Combine(dir, "nginx.conf")))
            {
                return dir;
            }
        }

        return own;
    }

    private bool DefinesEvents(string mainFile)
    {
        var load = new NginxLite.Config.Syntax.LoadOptions { VirtualFiles = VirtualFiles };
        var doc = NginxLite.Config.Syntax.ConfigLoader.Load(mainFile, load, new NginxLite.Config.Validation.DiagnosticBag());
        return doc.Directives.Any(d => d.Name == "events");
    }

    /// <summary>
    /// Git stores a symlink as a file holding its target's path; the corpus keeps that form. nginx read the target,
    /// so the copy gets the target's text back.
    /// </summary>
    private static void RestoreSymlinks(string root)
    {
        foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            if (info.Length is 0 or > 200)
            {
                continue;
            }

            var text = File.ReadAllText(file).Trim();
            if (text.Contains(' ', StringComparison.Ordinal) || text.Contains(';', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal))
            {
                continue;
            }

            var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, text));
            if (target.StartsWith(root, StringComparison.Ordinal) && File.Exists(target))
            {
                File.WriteAllBytes(file, File.ReadAllBytes(target));
            }
        }
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
