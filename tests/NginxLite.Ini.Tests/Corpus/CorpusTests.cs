using NginxLite.Ini.Loading;
using NginxLite.Ini.Migration;

namespace NginxLite.Ini.Tests.Corpus;

/// <summary>
/// Every ini of <c>../shared/corpus/uwsgi/</c>: either it reads with no error and its migration passes NginxLite's
/// config checker, or it is listed in <c>Corpus/rejects.tsv</c> and fails with the listed message.
/// </summary>
public class CorpusTests
{
    private static string UwsgiCorpus => Path.Combine(RepoPaths.Corpus, "uwsgi");

    private static readonly Lazy<Dictionary<string, (string Message, string Reason)>> Rejects = new(() =>
        File.ReadLines(Path.Combine(RepoPaths.Root, "tests/NginxLite.Ini.Tests/Corpus/rejects.tsv"))
            .Where(l => !l.StartsWith('#') && !l.StartsWith("file\t", StringComparison.Ordinal) && l.Length > 0)
            .Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => (f[1], f[2])));

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(UwsgiCorpus, "*.ini", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(UwsgiCorpus, file));
        }

        return data;
    }

    [Fact]
    public void Corpus_HasTheExpectedFiles() => Assert.True(Files().Count >= 490, $"only {Files().Count} ini files");

    [Fact]
    public void Rejects_EveryListedFileExists_AndHasAReason()
    {
        Assert.All(Rejects.Value, r =>
        {
            Assert.True(File.Exists(Path.Combine(UwsgiCorpus, r.Key)), r.Key);
            Assert.False(string.IsNullOrWhiteSpace(r.Value.Reason));
        });
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CorpusIni_ReadsAndMigratesToAValidConfig_OrIsAListedReject(string file)
    {
        var full = Path.Combine(UwsgiCorpus, file);
        var translation = IniTranslator.Translate(IniLoader.Load(full, IniFixture.Options(Path.GetDirectoryName(full)!)));
        var errors = translation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList();

        if (Rejects.Value.TryGetValue(file, out var reject))
        {
            Assert.Contains(errors, e => e.Contains(reject.Message, StringComparison.Ordinal));
            return;
        }

        Assert.Empty(errors);
        Assert.All(translation.Report, r => Assert.False(string.IsNullOrEmpty(r.Outcome)));
        var config = MigrationWriter.Write(translation, null, false, null);
        var check = IniFixture.CheckConfig(config, Path.GetDirectoryName(full)!);
        Assert.True(check.Ok, IniFixture.Errors(check) + "\n" + config);
    }
}
