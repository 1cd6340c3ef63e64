using System.Text.Json;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Syntax;

/// <summary>
/// <c>nginxlite -T --json</c>: the configuration as crossplane's <c>parse</c> payload, so tools built for crossplane
/// read it unchanged: <c>{status, errors[{file, error, line}], config[{file, status, errors[{error, line}],
/// parsed[{directive, line, args, block?, includes?}]}]}</c>. Each file is its own entry (main file first, then
/// included files in the order they are met); an <c>include</c> keeps its arguments and lists the indexes of the
/// files it read. Errors are the checker's, attached to the file they name.
/// </summary>
public static class CrossplanePayload
{
    public static void Write(string mainFile, LoadOptions load, IReadOnlyList<Diagnostic> diagnostics, Stream output)
    {
        var files = new List<string> { mainFile };
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { [mainFile] = 0 };
        var parsed = new List<IReadOnlyList<ConfigDirective>>();
        var oneFile = load with { ExpandIncludes = false, GlobalDirectives = null };
        for (var i = 0; i < files.Count; i++)
        {
            var document = ConfigLoader.Load(files[i], oneFile, new DiagnosticBag());
            parsed.Add(document.Directives);
            Collect(document.Directives, load.ConfigDirectory, files, index);
        }

        var errors = diagnostics.Where(d => d.IsError).ToList();
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("status", errors.Count == 0 ? "ok" : "failed");
        json.WriteStartArray("errors");
        foreach (var e in errors)
        {
            json.WriteStartObject();
            json.WriteString("file", e.Position?.File ?? mainFile);
            json.WriteString("error", Text(e));
            WriteLine(json, e);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("config");
        for (var i = 0; i < files.Count; i++)
        {
            var mine = errors.Where(e => (e.Position?.File ?? mainFile) == files[i]).ToList();
            json.WriteStartObject();
            json.WriteString("file", files[i]);
            json.WriteString("status", mine.Count == 0 ? "ok" : "failed");
            json.WriteStartArray("errors");
            foreach (var e in mine)
            {
                json.WriteStartObject();
                json.WriteString("error", Text(e));
                WriteLine(json, e);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WritePropertyName("parsed");
            WriteBlock(json, parsed[i], load.ConfigDirectory, index);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteBlock(Utf8JsonWriter json, IReadOnlyList<ConfigDirective> block, string? configDirectory, Dictionary<string, int> index)
    {
        json.WriteStartArray();
        foreach (var d in block)
        {
            json.WriteStartObject();
            json.WriteString("directive", d.Name);
            json.WriteNumber("line", d.Position.Line);
            json.WriteStartArray("args");
            foreach (var a in d.Arguments)
            {
                json.WriteStringValue(a.Value);
            }

            json.WriteEndArray();
            if (d.Name == "include" && d.Block is null && d.Arguments.Count == 1)
            {
                json.WriteStartArray("includes");
                foreach (var path in Resolve(d.Arg(0), configDirectory))
                {
                    if (index.TryGetValue(path, out var i))
                    {
                        json.WriteNumberValue(i);
                    }
                }

                json.WriteEndArray();
            }

            if (d.Block is { } children)
            {
                json.WritePropertyName("block");
                WriteBlock(json, children, configDirectory, index);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Collect(IReadOnlyList<ConfigDirective> block, string? configDirectory, List<string> files, Dictionary<string, int> index)
    {
        foreach (var d in block)
        {
            if (d.Name == "include" && d.Block is null && d.Arguments.Count == 1)
            {
                foreach (var path in Resolve(d.Arg(0), configDirectory))
                {
                    if (index.TryAdd(path, files.Count))
                    {
                        files.Add(path);
                    }
                }
            }
            else if (d.Block is { } children)
            {
                Collect(children, configDirectory, files, index);
            }
        }
    }

    /// <summary>The files an include reads, as nginx resolves them: relative to the main file's directory, globs
    /// sorted, a missing plain file left out (the checker reports it).</summary>
    private static List<string> Resolve(string argument, string? configDirectory)
    {
        var path = argument.StartsWith('/') || string.IsNullOrEmpty(configDirectory) ? argument : Path.Combine(configDirectory, argument);
        if (IncludeGlob.IsPattern(path))
        {
            return IncludeGlob.Expand(path).Where(File.Exists).ToList();
        }

        return File.Exists(path) ? [path] : [];
    }

    private static string Text(Diagnostic d) => d.Position is { Line: > 0 } p ? $"{d.Message} in {p.File}:{p.Line}" : d.Message;

    private static void WriteLine(Utf8JsonWriter json, Diagnostic d)
    {
        if (d.Position is { Line: > 0 } p)
        {
            json.WriteNumber("line", p.Line);
        }
        else
        {
            json.WriteNull("line");
        }
    }
}
