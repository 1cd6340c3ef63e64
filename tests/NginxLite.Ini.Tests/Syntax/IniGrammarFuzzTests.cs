using System.Text;
using NginxLite.Ini.Syntax;
using NginxLite.TestSupport;
using NginxLite.TestSupport.Fuzz;
using Xunit.Abstractions;

namespace NginxLite.Ini.Tests.Syntax;

/// <summary>
/// Fixed-seed fuzz slice of the uwsgi.ini line grammar: mutated corpus ini files, token soup and random bytes (read as
/// UTF-8 and as Latin-1). The grammar documents that it never fails, so any exception fails the slice; every line
/// comes back numbered in order; allocation stays under a bound per input. tools/fuzz/run.sh ini runs it long.
/// </summary>
public sealed class IniGrammarFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[][] Tokens = FuzzInputs.Texts(
        "[", "]", "[uwsgi]\n", "=", ";", "#", "\n", "\r\n", "\r", " ", "\t", "\0", "%(", "%(x)", "@(", "$(HOME)", "%d", "%%",
        "if-env = X\n", "endif =\n", "for = a b\n", "endfor =\n", "\u00ff", "\u00e9");

    [Fact]
    public void IniGrammar_FuzzedInput_NeverThrows()
    {
        var samples = CorpusSamples.Files(Path.Combine(RepoPaths.Corpus, "uwsgi"), "*.ini", 80, 4096,
            "[uwsgi]\nsocket = 127.0.0.1:3031\nmodule = app:application\nprocesses = 4\n",
            "[uwsgi]\n; comment\n# comment\nhttp=:9090\nenv = A=b=c\n[other]\nx\n");
        var report = FuzzRun.Run("ini", 5000, FuzzInputs.Mix(samples, Tokens), (input, pcg) =>
        {
            var text = pcg.Next(2) == 0 ? Encoding.UTF8.GetString(input) : Encoding.Latin1.GetString(input);
            var lines = IniGrammar.Parse(text);
            Assert.NotNull(lines);
        }, [], allocationPerByte: 4096, allocationBase: 4 << 20);
        output.WriteLine($"{samples.Length} samples; " + report);
        Assert.True(report.Total == report.Settings.Count);
    }
}
