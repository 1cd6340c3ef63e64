using NginxLite.Config.Syntax;

namespace NginxLite.Cli;

/// <summary><c>-T</c>: every file read, once, in read order, as nginx's ngx_conf_dump prints them.</summary>
internal static class ConfigDump
{
    public static void Write(ConfigDocument document, TextWriter stdout)
    {
        stdout.Flush();
        var raw = Console.OpenStandardOutput();
        var useRaw = ReferenceEquals(stdout, Console.Out);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in document.Files)
        {
            if (file.Path == "command line" || !seen.Add(file.Path))
            {
                continue;
            }

            var header = $"# configuration file {file.Path}:\n";
            if (useRaw)
            {
                // Bytes as they are on disk: a dump must not re-encode non-UTF-8 files.
                raw.Write(System.Text.Encoding.UTF8.GetBytes(header));
                raw.Write(file.Content);
                raw.Write("\n"u8);
            }
            else
            {
                stdout.Write(header);
                stdout.Write(System.Text.Encoding.UTF8.GetString(file.Content));
                stdout.Write('\n');
            }
        }

        raw.Flush();
    }
}
