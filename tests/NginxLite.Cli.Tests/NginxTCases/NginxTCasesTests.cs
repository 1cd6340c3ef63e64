using NginxLite.TestSupport;
using Xunit;
using NginxLite.Cli.Tests.Support;

namespace NginxLite.Cli.Tests.NginxTCases;

/// <summary>
/// The 37 minimal configs of ../shared/corpus/nginx-t-cases: <c>nginxlite -t</c> prints what Debian's nginx 1.22.1
/// printed (nginx.org message form, "nginx" read as "nginxlite") and exits with the same code.
/// </summary>
public sealed class NginxTCasesTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in NginxTCaseResults.Load())
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void Results_AllCasesPresent_ThirtySeven()
    {
        var cases = NginxTCaseResults.Load();
        Assert.Equal(37, cases.Count);
        Assert.All(cases, c => Assert.True(File.Exists(Path.Combine(RepoPaths.NginxTCases, c.Name)), c.Name));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TestFlag_NginxTCase_SameOutputAndExitCode(string name)
    {
        var expected = NginxTCaseResults.Load().Single(c => c.Name == name);
        using var prefix = new TempDir();
        var file = Path.Combine(RepoPaths.NginxTCases, name);

        var result = CliRunner.Run("-t", "-p", prefix.Path, "-c", file);

        AssertSameAsNginx(Expected(expected.WithErrorLog), Actual(result));
        Assert.Equal(expected.ExitCode, result.ExitCode);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void QuietTestFlag_NginxTCase_OnlyProblemsPrinted(string name)
    {
        var expected = NginxTCaseResults.Load().Single(c => c.Name == name);
        using var prefix = new TempDir();
        var file = Path.Combine(RepoPaths.NginxTCases, name);

        var result = CliRunner.Run("-t", "-q", "-p", prefix.Path, "-c", file);

        AssertSameAsNginx(Expected(expected.Quiet), Actual(result));
        Assert.Equal(expected.ExitCode, result.ExitCode);
    }

    /// <summary>
    /// Every line nginx printed, in order, up to and including its (only) error; then NginxLite may add the further
    /// errors and warnings nginx never reached (docs/intentional-differences.tsv, t-case:*); then nginx's last line.
    /// </summary>
    private static void AssertSameAsNginx(string[] nginx, string[] ours)
    {
        var firstError = Array.FindIndex(nginx, l => l.StartsWith("nginx: [emerg]", StringComparison.Ordinal));
        if (firstError < 0)
        {
            Assert.Equal(string.Join('\n', nginx), string.Join('\n', ours));
            return;
        }

        var head = nginx[..(firstError + 1)];
        Assert.Equal(string.Join('\n', head), string.Join('\n', ours.Take(head.Length)));
        Assert.Equal(nginx[^1], ours[^1]);
        Assert.All(ours[head.Length..^1], l => Assert.Matches(@"^nginx: \[(emerg|warn)\] ", l));
    }

    private static string[] Expected(IEnumerable<string> lines) =>
        [.. lines.Select(l => l.Replace("$CASES", RepoPaths.NginxTCases, StringComparison.Ordinal))];

    /// <summary>
    /// Our stderr in nginx's words, without the security lint's lines: those are NginxLite's addition (tagged
    /// <c>[security:ID]</c>, docs/security-lint.md), not part of what nginx prints.
    /// </summary>
    private static string[] Actual(CliResult result) =>
        [.. result.StderrLines.Where(l => !l.Contains("] " + Config.Validation.Security.SecurityFinding.TagPrefix, StringComparison.Ordinal)).Select(l =>
            l.StartsWith("nginxlite: ", StringComparison.Ordinal) ? "nginx: " + l["nginxlite: ".Length..] : l)];
}
