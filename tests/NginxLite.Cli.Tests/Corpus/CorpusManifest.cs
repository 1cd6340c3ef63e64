using NginxLite.TestSupport;
using NginxLite.Cli.Tests.Support;

namespace NginxLite.Cli.Tests.Corpus;

internal static class CorpusManifest
{
    private static readonly Lazy<IReadOnlyList<CorpusEntry>> Entries = new(Read);

    public static IReadOnlyList<CorpusEntry> All => Entries.Value;

    private static IReadOnlyList<CorpusEntry> Read()
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(RepoPaths.NginxCorpus, "MANIFEST.tsv"));
        var header = lines[0].Split('\t');
        int Col(string name) => Array.IndexOf(header, name);
        var (path, kind, verdict, category, error, stubs) =
            (Col("path"), Col("kind"), Col("stub_verdict"), Col("stub_category"), Col("stub_error"), Col("stubs"));

        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var f = l.Split('\t');
            return new CorpusEntry(
                f[path],
                f[kind].Replace("(by-trial)", "", StringComparison.Ordinal),
                f[verdict],
                f[category],
                f[error],
                f[stubs].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        })];
    }
}
