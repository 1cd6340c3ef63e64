using System.Text.RegularExpressions;

namespace NginxLite.Interop.Tests.DropIn;

/// <summary>
/// A copy of this machine's Debian /etc/nginx (the nginx package's stock tree) made runnable by a test: absolute
/// /etc/nginx paths point into the copy, pid and logs go to the copy, the default site listens on a free loopback
/// port (its IPv6 listen is dropped) and serves a copy of /var/www/html. Everything else — <c>user www-data;</c>,
/// the modules-enabled and conf.d includes, snippets, mime.types — stays as Debian ships it.
/// </summary>
internal sealed partial class DebianNginxTree
{
    public const string Source = "/etc/nginx";

    private DebianNginxTree(string root) => Root = root;

    public string Root { get; }

    public string Etc => Path.Combine(Root, "etc-nginx");

    public string MainFile => Path.Combine(Etc, "nginx.conf");

    public string Www => Path.Combine(Root, "www");

    public static DebianNginxTree CopyInto(string root)
    {
        var tree = new DebianNginxTree(root);
        CopyDirectory(Source, tree.Etc, tree.Etc);
        Directory.CreateDirectory(tree.Www);
        foreach (var f in Directory.EnumerateFiles("/var/www/html"))
        {
            File.Copy(f, Path.Combine(tree.Www, Path.GetFileName(f)));
        }

        Directory.CreateDirectory(Path.Combine(root, "logs"));
        foreach (var file in Directory.EnumerateFiles(tree.Etc, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            var rewritten = text.Replace("/etc/nginx/", tree.Etc + "/", StringComparison.Ordinal)
                .Replace("/var/log/nginx/", root + "/logs/", StringComparison.Ordinal)
                .Replace("pid /run/nginx.pid;", $"pid {root}/nginx.pid;", StringComparison.Ordinal)
                .Replace("root /var/www/html;", $"root {tree.Www};", StringComparison.Ordinal);
            if (rewritten != text)
            {
                File.WriteAllText(file, rewritten);
            }
        }

        return tree;
    }

    /// <summary>The default site on 127.0.0.1:<paramref name="port"/>; returns nginx.conf's text (for <c>ServerProcess</c>).</summary>
    public string Listen(int port)
    {
        foreach (var site in new[] { "sites-available/default", "sites-enabled/default" })
        {
            var file = Path.Combine(Etc, site);
            var text = Ipv6Listen().Replace(File.ReadAllText(file), "");
            File.WriteAllText(file, Ipv4Listen().Replace(text, $"listen 127.0.0.1:{port} default_server;"));
        }

        return File.ReadAllText(MainFile);
    }

    /// <summary>What a libnginx-mod-* package adds: a modules-enabled file with a load_module line.</summary>
    public void AddModule(string name) =>
        File.WriteAllText(Path.Combine(Etc, "modules-enabled", $"50-mod-{name}.conf"), $"load_module modules/ngx_{name.Replace('-', '_')}_module.so;\n");

    [GeneratedRegex(@"(?m)^\s*listen \[::\]:80 default_server;\s*$\n?")]
    private static partial Regex Ipv6Listen();

    [GeneratedRegex(@"listen (127\.0\.0\.1:\d+|80) default_server;")]
    private static partial Regex Ipv4Listen();

    /// <summary>Copies a tree; Debian's sites-enabled links (absolute, into /etc/nginx) become links into the copy.</summary>
    private static void CopyDirectory(string from, string to, string copyRoot)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                // A copy of the file rather than a link: the copy is rewritten on its own.
                File.Copy(Path.GetFullPath(link, from), target);
            }
            else if (entry is DirectoryInfo)
            {
                CopyDirectory(entry.FullName, target, copyRoot);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
