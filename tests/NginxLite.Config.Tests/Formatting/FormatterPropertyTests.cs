using System.Text;
using CsCheck;
using NginxLite.Config.Formatting;
using NginxLite.Config.Syntax;
using NginxLite.Config.Tests.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Formatting;

/// <summary>
/// <c>nginxlite fmt</c> over every file of /work/shared/corpus/nginx: idempotent, the parser sees the same
/// directives/arguments/blocks before and after, and the layout of the input does not matter (random re-spacing of
/// the same tokens formats to the same text).
/// </summary>
public class FormatterPropertyTests
{
    private static readonly Lazy<IReadOnlyList<(string Path, byte[] Content)>> Corpus = new(() =>
    {
        var root = Path.Combine(SyntaxTestSupport.SharedDirectory(), "corpus", "nginx");
        return [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tsv", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllBytes(f)))];
    });

    private static IEnumerable<(string Path, byte[] Content, byte[] Formatted)> Formattable() =>
        Corpus.Value.Select(f => (f.Path, f.Content, Formatted: ConfigFormatter.TryFormat(f.Content, out var formatted, out _) ? formatted : null))
            .Where(f => f.Formatted is not null)
            .Select(f => (f.Path, f.Content, f.Formatted!));

    [Fact]
    public void Format_CorpusFiles_AllButSyntaxErrorsFormat()
    {
        var rejected = 0;
        foreach (var (path, content) in Corpus.Value)
        {
            if (!ConfigFormatter.TryFormat(content, out _, out var error))
            {
                // The formatter refuses only what nginx's lexer refuses too.
                var parsed = ConfigLoader.LoadBytes(content, path, new LoadOptions { ExpandIncludes = false }, new DiagnosticBag());
                Assert.True(parsed.SyntaxError is not null, $"{path}: fmt said {error} but the parser accepts it");
                rejected++;
            }
        }

        Assert.True(Corpus.Value.Count - rejected >= 300, $"only {Corpus.Value.Count - rejected} of {Corpus.Value.Count} corpus files formatted");
    }

    [Fact]
    public void Format_CorpusFiles_IdempotentAndParseUnchanged()
    {
        var checkedFiles = 0;
        foreach (var (path, content, formatted) in Formattable())
        {
            Assert.True(ConfigFormatter.TryFormat(formatted, out var again, out var error), $"{path}: {error}");
            Assert.True(formatted.AsSpan().SequenceEqual(again), $"{path}: format(format(x)) != format(x)");

            var options = new LoadOptions { ExpandIncludes = false };
            var before = ConfigLoader.LoadBytes(content, path, options, new DiagnosticBag());
            var after = ConfigLoader.LoadBytes(formatted, path, options, new DiagnosticBag());
            Assert.Equal(before.SyntaxError?.Message, after.SyntaxError?.Message);
            Assert.Equal(Shape(before.Directives), Shape(after.Directives));
            checkedFiles++;
        }

        Assert.True(checkedFiles >= 300, $"only {checkedFiles} files checked");
    }

    [Fact]
    public void Format_CorpusFileRespacedAtRandom_FormatsTheSame()
    {
        var files = Formattable().ToArray();
        Gen.Select(Gen.Int[0, files.Length - 1], Gen.Int).Sample((index, seed) =>
        {
            var (path, content, formatted) = files[index];
            var encoding = ConfigSource.EncodingOf(content);
            Assert.True(FormatTokenizer.TryTokenize(encoding.GetString(content), out var tokens, out _));
            var respaced = Respace(tokens, new Random(seed));
            Assert.True(ConfigFormatter.TryFormat(respaced, out var again, out var error), $"{path} (seed {seed}): {error}");
            Assert.Equal(encoding.GetString(formatted), again);
        }, iter: 200);
    }

    /// <summary>The same tokens and line breaks with other spaces, tabs and CRs between them.</summary>
    private static string Respace(List<FormatToken> tokens, Random random)
    {
        var text = new StringBuilder();
        string Blanks(int min) => new([.. Enumerable.Range(0, random.Next(min, 4)).Select(_ => random.Next(3) == 0 ? '\t' : ' ')]);
        FormatToken? previous = null;
        foreach (var token in tokens)
        {
            if (token.NewlinesBefore > 0)
            {
                text.Append(Blanks(0));
                for (int i = 0; i < token.NewlinesBefore; i++)
                {
                    text.Append(random.Next(4) == 0 ? "\r\n" : "\n");
                }

                text.Append(Blanks(0));
            }
            else if (previous is { } p && !token.Glued)
            {
                // A word or comment needs a blank after a word; "a$ {" must not become "a${".
                bool needsBlank = p.Kind == FormatTokenKind.Word && (token.Kind is FormatTokenKind.Word or FormatTokenKind.Comment || p.Text.EndsWith('$'));
                text.Append(Blanks(needsBlank ? 1 : 0));
            }

            text.Append(token.Text);
            previous = token;
        }

        return text.Append(random.Next(2) == 0 ? "\n" : "\n\n \n").ToString();
    }

    /// <summary>What the parser makes of a file: names, raw arguments and nesting (not lines).</summary>
    private static string Shape(IReadOnlyList<ConfigDirective> directives)
    {
        var builder = new StringBuilder();
        foreach (var d in directives)
        {
            builder.Append(d.RawName ?? d.Name);
            foreach (var a in d.Arguments)
            {
                builder.Append(" \u2027").Append(a.Raw);
            }

            builder.Append(d.Block is null ? ";\n" : " {\n" + Shape(d.Block) + "}\n");
        }

        return builder.ToString();
    }
}
