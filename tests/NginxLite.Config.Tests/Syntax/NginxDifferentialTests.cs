using System.Diagnostics;
using Xunit;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using static NginxLite.Config.Tests.Syntax.SyntaxTestSupport;

namespace NginxLite.Config.Tests.Syntax;

/// <summary>Tricky inputs run through the real nginx (Debian's 1.22) and through the loader: the first message must agree.</summary>
public sealed class NginxDifferentialTests : IDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private readonly string _dir = CreateTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string, string?> Cases() => new()
    {
        { "quote-then-char", "events {}\nhttp {}\n\"a\"b;\n", null },
        { "quote-then-brace", "events {}\nhttp {}\nuser \"a\"}\n", null },
        { "quote-then-paren-word", "events {}\nhttp {}\nuser \"a\")(\"b\"c;\n", null },
        { "quote-paren-then-word", "events {}\nhttp {}\nuser \"a\")x;\n", null },
        { "dollar-brace-word", "events {}\nhttp { map $uri ${x}y { default a}b; } }\n", null },
        { "hash-and-brace-in-word", "events {}\nhttp { add_header a#b c}d; }\n", null },
        { "too-long-comment", "events {}\n#" + new string('c', 5000) + "\nhttp {}\n", null },
        { "too-long-quote", "events {}\nhttp {\n  add_header a \"b;\n" + string.Concat(Enumerable.Repeat("x y z;\n", 800)) + "}\n", null },
        { "too-long-single-quote", "events {}\nhttp {\n  add_header a 'b;\n" + string.Concat(Enumerable.Repeat("x y z;\n", 800)) + "}\n", null },
        { "too-long-bare", "events {}\nhttp {\n  add_header a " + new string('b', 4100) + ";\n}\n", null },
        { "eof-in-comment-in-block", "events {}\nhttp {\n# c", null },
        { "eof-after-escape", "events {}\nhttp {}\nuser \\", null },
        { "semicolon-first-in-block", "events {}\nhttp {\n  server { ; }\n}\n", null },
        { "brace-first", "events {}\n{}\n", null },
        { "close-after-words", "events {}\nhttp {\n  server_tokens off }\n", null },
        { "crlf-eof-in-block", "events {}\r\nhttp {\r\n  server {\r\n  }\r\n", null },
        { "nested-eof", "events {}\nhttp { server { location / {\n", null },
        { "g-unterminated", "events {}\n", "daemon off" },
        { "g-block", "events {}\n", "events { }" },
        { "g-brace", "events {}\n", "daemon off; }" },
        { "g-semicolon", "events {}\n", ";" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SyntaxError_SameAsRealNginx(string name, string text, string? global)
    {
        if (!File.Exists(Nginx))
        {
            return; // the real peer is installed by install.sh; without it there is nothing to compare with
        }

        var path = Path.Combine(_dir, name + ".conf");
        File.WriteAllText(path, text);
        var expected = RunNginx(path, global);

        var document = ConfigLoader.Load(path, new LoadOptions { GlobalDirectives = global }, new DiagnosticBag());
        if (!IsSyntaxMessage(expected))
        {
            // nginx got past the tokenizer (e.g. `user "a")x;` is user "a" ")x"): so must we.
            Assert.True(document.SyntaxError is null, $"{document.SyntaxError} but nginx said {expected}");
            return;
        }

        Assert.NotNull(document.SyntaxError);
        Assert.Equal(expected, "nginx: " + document.SyntaxError.ToString());
    }

    private static bool IsSyntaxMessage(string line) =>
        line.StartsWith("nginx: [emerg] unexpected ", StringComparison.Ordinal)
        || line.StartsWith("nginx: [emerg] too long parameter", StringComparison.Ordinal)
        || line.StartsWith("nginx: [emerg] block directives are not supported", StringComparison.Ordinal);

    private string RunNginx(string path, string? global)
    {
        var start = new ProcessStartInfo(Nginx) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-t", "-q", "-p", _dir + "/", "-e", "/dev/stderr", "-c", path })
        {
            start.ArgumentList.Add(arg);
        }

        if (global is not null)
        {
            start.ArgumentList.Add("-g");
            start.ArgumentList.Add(global);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return stderr.Split('\n').FirstOrDefault(l => l.StartsWith("nginx: [emerg]", StringComparison.Ordinal)) ?? "(syntax is ok)";
    }
}
