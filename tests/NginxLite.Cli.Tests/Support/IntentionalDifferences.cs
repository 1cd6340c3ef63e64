namespace NginxLite.Cli.Tests.Support;

/// <summary>
/// docs/intentional-differences.tsv: the one list of places where NginxLite knowingly says something other than
/// nginx, each with a reason. Tests that compare with nginx consult it, and assert NginxLite's side instead.
/// </summary>
internal static class IntentionalDifferences
{
    private static readonly Lazy<IReadOnlyDictionary<string, (string Nginx, string NginxLite, string Why)>> Rows = new(() =>
        File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "intentional-differences.tsv"))
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => (f[1], f[2], f[3]), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, (string Nginx, string NginxLite, string Why)> All => Rows.Value;

    /// <summary>What NginxLite says instead of nginx for <paramref name="where"/> (e.g. <c>corpus:PATH</c>), or null.</summary>
    public static string? NginxLiteSays(string where) => All.TryGetValue(where, out var row) ? row.NginxLite : null;
}
