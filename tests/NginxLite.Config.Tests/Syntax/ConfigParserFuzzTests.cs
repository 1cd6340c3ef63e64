using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.TestSupport;
using NginxLite.TestSupport.Fuzz;
using Xunit.Abstractions;

namespace NginxLite.Config.Tests.Syntax;

/// <summary>
/// Fixed-seed fuzz slice of the nginx config parser (lexer + grammar through <see cref="ConfigLoader.LoadBytes"/>,
/// includes not expanded): mutated corpus configs, token soup and random bytes. The loader documents that it never
/// throws (a syntax error is returned in <see cref="ConfigDocument.SyntaxError"/>), so any exception fails; allocation
/// stays under a bound per input. tools/fuzz/run.sh config runs it long.
/// </summary>
public sealed class ConfigParserFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[][] Tokens = FuzzInputs.Texts(
        "{", "}", ";", "\"", "'", "\\", "$", "${", "#", "\n", "\r\n", " ", "\t", "\0", "server {", "location ~ ^/(.*)$ {", "include ",
        "if ($a) {", "'a\\'b'", "\"a\\\"b\"", "${host}", "\u00ff", "\u00e9", "map $a $b {", "default 1;", "{{{{{{{{", "}}}}}}}}");

    [Fact]
    public void ConfigLoader_FuzzedInput_NeverThrows()
    {
        var samples = CorpusSamples.Files(RepoPaths.NginxCorpus, "*.conf", 80, 4096,
            "events {}\nhttp { server { listen 80; location / { root html; } } }\n",
            "http { map $a $b { default 0; ~x 1; } server { if ($b) { return 404; } location ~* \\.(gif|jpg)$ { expires 30d; } } }\n",
            "worker_processes 1; # comment\nhttp { log_format main '$remote_addr \"$request\"'; }\n");
        var report = FuzzRun.Run("config", 5000, FuzzInputs.Mix(samples, Tokens), (input, _) =>
        {
            var document = ConfigLoader.LoadBytes(input, "/fuzz/nginx.conf", new LoadOptions { ExpandIncludes = false }, new DiagnosticBag());
            Assert.NotNull(document);
        }, [], allocationPerByte: 4096, allocationBase: 8 << 20);
        output.WriteLine($"{samples.Length} samples; " + report);
        Assert.True(report.Total == report.Settings.Count);
    }
}
