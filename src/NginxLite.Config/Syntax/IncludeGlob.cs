namespace NginxLite.Config.Syntax;

/// <summary>
/// glob(3) as nginx calls it for <c>include</c> (flags 0): <c>*</c>, <c>?</c> and <c>[…]</c> in any path component,
/// wildcards do not match a leading dot, results sorted bytewise (C locale), no match is not an error.
/// </summary>
internal static class IncludeGlob
{
    private static readonly char[] Meta = ['*', '?', '['];

    /// <summary>nginx globs only when the path contains one of <c>*?[</c> (strpbrk in ngx_conf_include).</summary>
    public static bool IsPattern(string path) => path.IndexOfAny(Meta) >= 0;

    public static List<string> Expand(string pattern)
    {
        var results = new List<string>();
        bool rooted = pattern.StartsWith('/');
        var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        Walk(rooted ? "/" : "", parts, 0, results);
        results.Sort(StringComparer.Ordinal);
        return results;
    }

    private static void Walk(string prefix, string[] parts, int index, List<string> results)
    {
        if (index == parts.Length)
        {
            if (prefix.Length > 0 && (File.Exists(prefix) || Directory.Exists(prefix)))
            {
                results.Add(prefix);
            }

            return;
        }

        string part = parts[index];
        if (!IsPattern(part))
        {
            Walk(Join(prefix, Unescape(part)), parts, index + 1, results);
            return;
        }

        string directory = prefix.Length == 0 ? "." : prefix;
        if (!Directory.Exists(directory))
        {
            return;
        }

        bool last = index == parts.Length - 1;
        IEnumerable<string> entries;
        try
        {
            entries = last ? Directory.EnumerateFileSystemEntries(directory) : Directory.EnumerateDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string entry in entries)
        {
            string name = Path.GetFileName(entry);
            if (GlobPattern.IsMatch(part, name))
            {
                Walk(Join(prefix, name), parts, index + 1, results);
            }
        }
    }

    private static string Join(string prefix, string name) =>
        prefix.Length == 0 ? name : prefix.EndsWith('/') ? prefix + name : prefix + "/" + name;

    private static string Unescape(string part) => part.Contains('\\') ? part.Replace("\\", "") : part;
}
