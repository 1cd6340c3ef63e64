using System.Text.RegularExpressions;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

/// <summary>
/// The 37 corpus cases through the real pipeline (parser + binder + checks), compared with nginx 1.22.1's
/// <c>-e</c> output in RESULTS.txt: the first [emerg] for failing cases, every [warn] for passing ones.
/// Needs the parser and binder branches merged.
/// </summary>
public partial class NginxTCasesTests
{
    private static readonly string CasesDir = FindCases();

    public static TheoryData<string> Cases() => [.. Expected().Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConfigTest_Case_MatchesNginx(string name)
    {
        var file = Path.Combine(CasesDir, name);
        var result = ConfigTest.Run(file, new LoadOptions(), new BindOptions { Prefix = CasesDir + "/" });
        var expected = Expected()[name];
        var actual = result.Ok
            ? result.Diagnostics.Where(d => d.Severity == Severity.Warn).Select(d => d.ToString()).ToList()
            : [result.FirstError!.ToString()];
        Assert.Equal(expected, actual);
    }

    private static Dictionary<string, List<string>> Expected()
    {
        var cases = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? current = null;
        var inE = false;
        foreach (var line in File.ReadAllLines(Path.Combine(CasesDir, "RESULTS.txt")))
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
            {
                current = line[4..].Trim();
                cases[current] = [];
                inE = false;
            }
            else if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                inE = line.Contains("with -e", StringComparison.Ordinal);
            }
            else if (inE && current is not null && Level().IsMatch(line))
            {
                cases[current].Add(line["nginx: ".Length..].Replace("$CASES", CasesDir, StringComparison.Ordinal));
            }
        }

        // Failing cases: nginx stops at the first emerg.
        foreach (var list in cases.Values.Where(l => l.Any(m => m.StartsWith("[emerg]", StringComparison.Ordinal))))
        {
            var first = list.First(m => m.StartsWith("[emerg]", StringComparison.Ordinal));
            list.Clear();
            list.Add(first);
        }

        return cases;
    }

    private static string FindCases()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, "shared", "corpus", "nginx-t-cases");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return "/work/shared/corpus/nginx-t-cases";
    }

    [GeneratedRegex(@"^nginx: \[(emerg|warn)\] ")]
    private static partial Regex Level();
}
