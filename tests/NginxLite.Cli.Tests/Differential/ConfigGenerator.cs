using NginxLite.Config.Directives;

namespace NginxLite.Cli.Tests.Differential;

/// <summary>
/// Builds random configs from real directive uses (<see cref="DirectiveSamples"/>) in the contexts nginx allows,
/// then, most of the time, breaks one thing the way people do: a directive in the wrong block, a wrong argument
/// count, a duplicate, a typo, a bad flag value, a lost <c>;</c> or <c>}</c>.
/// </summary>
internal static class ConfigGenerator
{
    public static readonly string[] Mutations =
    [
        "none", "wrong-context", "no-arguments", "extra-argument", "duplicate", "unknown-name", "flag-yes",
        "drop-semicolon", "drop-close-brace", "extra-close-brace", "stray-semicolon", "block-instead-of-semicolon",
    ];

    public static GeneratedConfig Build(string mutation, int seed, int port)
    {
        var rng = new Random(seed);
        var blocks = new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            ["main"] = [], ["events"] = [], ["http"] = [], ["server"] = [], ["location"] = [],
        };

        foreach (var (context, list) in blocks)
        {
            var pool = DirectiveSamples.ByContext[context];
            var count = pool.Count == 0 ? 0 : rng.Next(0, context == "main" || context == "events" ? 2 : 4);
            for (var i = 0; i < count; i++)
            {
                var sample = pool[rng.Next(pool.Count)];
                if (!list.Any(l => l.StartsWith(sample.Name + " ", StringComparison.Ordinal) || l == sample.Name + ";"))
                {
                    list.Add(sample.Render());
                }
            }
        }

        // Whole blocks from real configs: upstream/map/geo/types in http, locations and ifs in server and location.
        foreach (var context in new[] { "http", "server", "location" })
        {
            var pool = DirectiveSamples.Blocks[context];
            for (var i = rng.Next(0, 3); i > 0 && pool.Count > 0; i--)
            {
                blocks[context].Add(pool[rng.Next(pool.Count)].Replace("\n", "\n" + Indent(context), StringComparison.Ordinal));
            }
        }

        var note = mutation;
        switch (mutation)
        {
            case "wrong-context":
            {
                var pool = DirectiveSamples.ByContext["location"];
                var s = pool[rng.Next(pool.Count)];
                var target = rng.Next(2) == 0 ? "main" : "events";
                blocks[target].Add(s.Render());
                note += $": {s.Name} in {target}";
                break;
            }

            case "no-arguments" or "extra-argument" or "duplicate" or "unknown-name" or "flag-yes":
            {
                var context = new[] { "http", "server", "location" }[rng.Next(3)];
                var pool = DirectiveSamples.ByContext[context];
                var s = mutation == "flag-yes"
                    ? pool.Where(IsFlag).DefaultIfEmpty(pool[0]).ElementAt(rng.Next(Math.Max(1, pool.Count(IsFlag))))
                    : pool[rng.Next(pool.Count)];
                var line = mutation switch
                {
                    "no-arguments" => s.Render(args: []),
                    "extra-argument" => s.Render(args: [.. s.RawArguments, "x", "y", "z", "w", "v", "u", "t", "s"]),
                    "duplicate" => s.Render(),
                    "unknown-name" => s.Render(name: s.Name + "x"),
                    _ => s.Render(args: ["yes"]),
                };
                blocks[context].Add(line);
                if (mutation == "duplicate")
                {
                    blocks[context].Add(line);
                }

                note += $": {line} in {context}";
                break;
            }
        }

        var text = Render(blocks, port);
        switch (mutation)
        {
            case "drop-semicolon":
            {
                var at = text.LastIndexOf(';');
                text = text.Remove(at, 1);
                break;
            }

            case "drop-close-brace":
                text = text.Remove(text.LastIndexOf('}'), 1);
                break;
            case "extra-close-brace":
                text += "}\n";
                break;
            case "stray-semicolon":
                text = text.Replace("http {\n", "http {\n    ;\n", StringComparison.Ordinal);
                break;
            case "block-instead-of-semicolon":
                text = text.Replace($"listen 127.0.0.1:{port};", $"listen 127.0.0.1:{port} {{ }}", StringComparison.Ordinal);
                break;
        }

        return new GeneratedConfig(text, note);
    }

    private static string Indent(string context) => context switch
    {
        "http" => "    ",
        "server" => "        ",
        _ => "            ",
    };

    private static bool IsFlag(DirectiveSample s) =>
        DirectiveRegistry.Variants(s.Name).Any(v => (v.Arguments & ArgumentRule.Flag) != 0);

    private static string Render(Dictionary<string, List<string>> b, int port)
    {
        static string Lines(List<string> l, string indent) => string.Concat(l.Select(x => indent + x + "\n"));
        return Lines(b["main"], "")
            + "events {\n" + Lines(b["events"], "    ") + "}\n"
            + "http {\n" + Lines(b["http"], "    ")
            + "    server {\n"
            + $"        listen 127.0.0.1:{port};\n"
            + Lines(b["server"], "        ")
            + "        location / {\n" + Lines(b["location"], "            ") + "        }\n"
            + "    }\n"
            + "}\n";
    }
}
