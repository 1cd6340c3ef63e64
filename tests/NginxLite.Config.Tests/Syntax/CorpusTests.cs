using System.Text.RegularExpressions;
using Xunit;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using static NginxLite.Config.Tests.Syntax.SyntaxTestSupport;

namespace NginxLite.Config.Tests.Syntax;

/// <summary>Every file of /work/shared/corpus/nginx/MANIFEST.tsv, parsed standalone, against what nginx 1.22 said about it.</summary>
public partial class CorpusTests
{
    [GeneratedRegex("""nginx: \[emerg\] (?<message>(?:unexpected |too long parameter).*) in \$CORPUS/(?<file>.*):(?<line>\d+)$""")]
    private static partial Regex SyntaxMessage();

    [GeneratedRegex("""nginx: \[emerg\] .* in \$CORPUS/(?<file>.*):(?<line>\d+)$""")]
    private static partial Regex AnyMessage();

    public static TheoryData<string> ManifestPaths()
    {
        var data = new TheoryData<string>();
        foreach (var row in ReadManifest())
        {
            data.Add(row.Path);
        }

        return data;
    }

    private static IEnumerable<(string Path, string[] Errors)> ReadManifest()
    {
        var manifest = Path.Combine(SharedDirectory(), "corpus", "nginx", "MANIFEST.tsv");
        var lines = File.ReadAllLines(manifest);
        var header = lines[0].Split('\t');
        int path = Array.IndexOf(header, "path"), error = Array.IndexOf(header, "error"), stubError = Array.IndexOf(header, "stub_error");
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split('\t');
            yield return (cells[path], [cells[error], cells[stubError]]);
        }
    }

    [Theory]
    [MemberData(nameof(ManifestPaths))]
    public void CorpusFile_ParsedStandalone_SyntaxVerdictMatchesNginx(string relative)
    {
        var corpus = Path.Combine(SharedDirectory(), "corpus", "nginx");
        var errors = ReadManifest().First(r => r.Path == relative).Errors;
        var expected = errors.Select(e => SyntaxMessage().Match(e)).FirstOrDefault(m => m.Success && m.Groups["file"].Value == relative);

        var path = Path.Combine(corpus, relative);

        // A git symlink checked out as a text file: nginx read the target.
        var text = File.ReadAllText(path);
        if (!text.Contains('\n') && !text.Contains(' ') && File.Exists(Path.Combine(Path.GetDirectoryName(path)!, text)))
        {
            path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, text));
        }

        // Standalone: each file's own syntax; included files are corpus entries of their own.
        var document = ConfigLoader.Load(path, new LoadOptions { ExpandIncludes = false }, new DiagnosticBag());

        if (expected is null)
        {
            if (document.SyntaxError is { Position: { } at })
            {
                // nginx stopped at an earlier non-syntax error (e.g. unknown directive "init_by_lua_block"),
                // before its tokenizer met this one: allowed only after the point where nginx stopped.
                var stoppedAt = errors.Select(e => AnyMessage().Match(e)).FirstOrDefault(m => m.Success);
                Assert.True(stoppedAt is not null, $"unexpected syntax error {document.SyntaxError}");
                if (stoppedAt.Groups["file"].Value == relative)
                {
                    Assert.True(at.Line >= int.Parse(stoppedAt.Groups["line"].Value), $"syntax error {document.SyntaxError} before nginx's {stoppedAt.Value}");
                }
            }
        }
        else
        {
            Assert.NotNull(document.SyntaxError);
            Assert.Equal(expected.Groups["message"].Value, document.SyntaxError.Message);
            Assert.Equal(new SourcePosition(path, int.Parse(expected.Groups["line"].Value)), document.SyntaxError.Position);
        }
    }
}
