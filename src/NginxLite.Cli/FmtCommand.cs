using NginxLite.Config.Formatting;

namespace NginxLite.Cli;

/// <summary>
/// <c>nginxlite fmt [--check | -w] FILE… | -</c>: formats configs (<see cref="ConfigFormatter"/>). Prints the result
/// by default; <c>-w</c>/<c>--write</c> rewrites changed files in place; <c>--check</c> lists the files that would
/// change and exits 1 (as <c>gofmt -l</c> and <c>prettier --check</c>). A file with a syntax error is left alone and
/// makes the exit status 2 (prettier's code for errors). Includes are not followed.
/// </summary>
internal static class FmtCommand
{
    private const string Usage = "usage: nginxlite fmt [--check | -w] FILE... (\"-\" reads standard input)";

    public static int Run(string[] args, Stream stdin, Stream stdout, TextWriter stderr)
    {
        bool check = false, write = false;
        var files = new List<string>();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--check" or "-l":
                    check = true;
                    break;
                case "-w" or "--write":
                    write = true;
                    break;
                case "-h" or "--help":
                    stderr.WriteLine(Usage);
                    return 0;
                case "-":
                    files.Add(arg);
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        stderr.WriteLine($"{ProductInfo.Name}: invalid option: \"{arg}\"");
                        stderr.WriteLine(Usage);
                        return 2;
                    }

                    files.Add(arg);
                    break;
            }
        }

        if (files.Count == 0 || check && write)
        {
            stderr.WriteLine(Usage);
            return 2;
        }

        int status = 0;
        foreach (var file in files)
        {
            status = Math.Max(status, FormatOne(file, check, write, stdin, stdout, stderr));
        }

        return status;
    }

    private static int FormatOne(string file, bool check, bool write, Stream stdin, Stream stdout, TextWriter stderr)
    {
        var name = file == "-" ? "<stdin>" : file;
        byte[] content;
        try
        {
            content = file == "-" ? ReadAll(stdin) : File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{ProductInfo.Name}: [emerg] open() \"{file}\" failed ({e.Message})");
            return 2;
        }

        if (!ConfigFormatter.TryFormat(content, out var formatted, out var error))
        {
            stderr.WriteLine($"{ProductInfo.Name}: [emerg] {error!.Message} in {name}:{error.Line}");
            return 2;
        }

        bool changed = !content.AsSpan().SequenceEqual(formatted);
        if (check)
        {
            if (changed)
            {
                stderr.WriteLine(name);
            }

            return changed ? 1 : 0;
        }

        if (write && file != "-")
        {
            if (changed)
            {
                // Overwrite in place (not a rename) so the file keeps its owner, mode and hard links.
                File.WriteAllBytes(file, formatted);
            }

            return 0;
        }

        stdout.Write(formatted);
        stdout.Flush();
        return 0;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
