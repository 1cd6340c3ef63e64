namespace NginxLite.TestSupport.Fuzz;

/// <summary>Valid inputs for the config fuzz slices: the repository's own files and the shared corpus (small files first,
/// so a mutated input stays a few KB).</summary>
public static class CorpusSamples
{
    public static byte[][] Files(string directory, string pattern, int count, int maxBytes, params string[] extra)
    {
        var files = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories)
                .Select(f => new FileInfo(f))
                .Where(f => f.Length > 0 && f.Length <= maxBytes)
                .OrderBy(f => f.FullName, StringComparer.Ordinal)
                .Take(count)
                .Select(f => File.ReadAllBytes(f.FullName))
            : [];
        return [.. files, .. FuzzInputs.Texts(extra)];
    }
}
