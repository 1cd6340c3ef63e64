namespace NginxLite.TestSupport;

/// <summary>
/// docs/intentional-differences.tsv, the repository's one list of places where NginxLite knowingly differs from
/// nginx (columns: where, nginx, nginxlite, why). Tests that compare with nginx consult it and assert NginxLite's
/// side instead. Keys: <c>corpus:PATH</c>, <c>directive:NAME</c>, <c>t-case:*</c>, and <c>http:REQUEST-NAME</c>
/// for differential HTTP rows, whose nginxlite column is <c>field=value</c> pairs separated by <c>; </c>
/// (fields: status, location, content-type).
/// </summary>
public static class IntentionalDifferences
{
    public const string HttpPrefix = "http:";

    private static readonly Lazy<IReadOnlyDictionary<string, (string Nginx, string NginxLite, string Why)>> Rows = new(() =>
        File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "intentional-differences.tsv"))
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => (f[1], f[2], f[3]), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, (string Nginx, string NginxLite, string Why)> All => Rows.Value;

    /// <summary>What NginxLite says instead of nginx for <paramref name="where"/> (e.g. <c>corpus:PATH</c>), or null.</summary>
    public static string? NginxLiteSays(string where) => All.TryGetValue(where, out var row) ? row.NginxLite : null;

    /// <summary>The request names of every <c>http:</c> row.</summary>
    public static IEnumerable<string> HttpRequestNames =>
        Rows.Value.Keys.Where(k => k.StartsWith(HttpPrefix, StringComparison.Ordinal)).Select(k => k[HttpPrefix.Length..]);

    /// <summary>The expected NginxLite fields for a differential row, or null when NginxLite must match nginx.</summary>
    public static IReadOnlyDictionary<string, string>? ForRequest(string requestName)
    {
        if (!Rows.Value.TryGetValue(HttpPrefix + requestName, out var row))
        {
            return null;
        }

        return row.NginxLite.Split("; ", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p.Length > 1 ? p[1].Trim() : "", StringComparer.Ordinal);
    }
}
