using System.Collections.Frozen;

namespace NginxLite.Ini.Options;

/// <summary>
/// Every option of uWSGI 2.0.21 with what NginxLite does with it. Read once from the embedded
/// <c>uwsgi-options.tsv</c>; lookups are by the exact key (uWSGI compares keys with strcmp).
/// </summary>
public static class UwsgiOptionTable
{
    private static readonly Lazy<FrozenDictionary<string, UwsgiOption>> Rows = new(Load);

    public static IReadOnlyCollection<UwsgiOption> All => Rows.Value.Values;

    public static bool TryGet(string key, out UwsgiOption option) => Rows.Value.TryGetValue(key, out option!);

    /// <summary>
    /// The option a key was probably meant to be: the same key with <c>_</c> read as <c>-</c> (uWSGI does not fold
    /// them), else the closest name by edit distance (typos such as <c>process</c>, <c>max-request</c>), else null.
    /// </summary>
    public static string? Closest(string key)
    {
        var dashed = key.Replace('_', '-');
        if (dashed != key && Rows.Value.ContainsKey(dashed))
        {
            return dashed;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        var limit = Math.Max(2, dashed.Length / 3);
        foreach (var name in Rows.Value.Keys)
        {
            if (Math.Abs(name.Length - dashed.Length) > limit)
            {
                continue;
            }

            var d = EditDistance.Between(dashed, name, limit);
            if (d < bestDistance || (d == bestDistance && best is not null && string.CompareOrdinal(name, best) < 0))
            {
                (best, bestDistance) = (name, d);
            }
        }

        return bestDistance <= limit ? best : null;
    }

    private static FrozenDictionary<string, UwsgiOption> Load()
    {
        using var stream = typeof(UwsgiOptionTable).Assembly.GetManifestResourceStream("uwsgi-options.tsv")
            ?? throw new InvalidOperationException("uwsgi-options.tsv is not embedded");
        using var reader = new StreamReader(stream);
        var rows = new Dictionary<string, UwsgiOption>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#' || line.StartsWith("option\t", StringComparison.Ordinal))
            {
                continue;
            }

            var f = line.Split('\t');
            var outcome = f[3] switch
            {
                "mapped" => OptionOutcome.Mapped,
                "ignored" => OptionOutcome.Ignored,
                "unsupported" => OptionOutcome.Unsupported,
                _ => throw new InvalidDataException($"uwsgi-options.tsv: bad outcome \"{f[3]}\" for {f[0]}"),
            };
            rows[f[0]] = new UwsgiOption(f[0], f[1], f[2], outcome, f[4], f[5], f[6]);
        }

        return rows.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
