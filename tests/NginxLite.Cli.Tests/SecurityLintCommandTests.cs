using NginxLite.TestSupport;
using NginxLite.Cli.Tests.Support;
using Xunit;

namespace NginxLite.Cli.Tests;

/// <summary>
/// The security lint as <c>nginxlite -t</c> prints it (docs/security-lint.md): [warn] lines tagged [security:ID]
/// with FILE:LINE, still printed with -q (nginx's -q hides notices, not warnings), [emerg] and exit 1 with --strict.
/// </summary>
public sealed class SecurityLintCommandTests
{
    private const string Bad = """
        events {}
        http {
            server {
                listen 127.0.0.1:18090;
                location /i { alias /data/i/; }
            }
        }
        """;

    [Fact]
    public void Test_Finding_WarnLineWithFileLineThenSuccess()
    {
        using var dir = new TempDir();
        var conf = dir.File("nginx.conf", Bad);

        var r = CliRunner.Run("-t", "-p", dir.Path, "-c", conf);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            [
                $"nginxlite: the configuration file {conf} syntax is ok",
                $"nginxlite: [warn] [security:alias-traversal] alias \"/data/i/\" of location \"/i\" (no trailing slash) lets \"/i../\" escape the alias (path traversal) in {conf}:5",
                $"nginxlite: configuration file {conf} test is successful",
            ],
            r.StderrLines);
    }

    [Fact]
    public void Lint_ListedAsIntentionalDifference()
    {
        Assert.Contains("[security:ID]", IntentionalDifferences.NginxLiteSays("lint:security"));
    }

    [Fact]
    public void TestQuiet_Finding_OnlyTheWarning()
    {
        using var dir = new TempDir();
        var conf = dir.File("nginx.conf", Bad);

        var r = CliRunner.Run("-t", "-q", "-p", dir.Path, "-c", conf);

        Assert.Equal(0, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("nginxlite: [warn] [security:alias-traversal] ", line);
    }

    [Fact]
    public void TestStrict_Finding_EmergAndExitOne()
    {
        using var dir = new TempDir();
        var conf = dir.File("nginx.conf", Bad);

        var r = CliRunner.Run("-t", "--strict", "-p", dir.Path, "-c", conf);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("nginxlite: [emerg] [security:alias-traversal] ", r.StderrLines[1]);
        Assert.EndsWith($" in {conf}:5", r.StderrLines[1]);
        Assert.Equal($"nginxlite: configuration file {conf} test failed", r.StderrLines[^1]);
    }

    [Fact]
    public void TestStrict_AllowComment_SilencedAndExitZero()
    {
        using var dir = new TempDir();
        var conf = dir.File("nginx.conf", Bad.Replace("alias /data/i/; }", "alias /data/i/; }  # nginxlite: allow alias-traversal", StringComparison.Ordinal));

        var r = CliRunner.Run("-t", "--strict", "-p", dir.Path, "-c", conf);

        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("[security:", r.Stderr);
    }

    [Fact]
    public void TestStrict_SyntaxError_NoLintLines()
    {
        using var dir = new TempDir();
        var conf = dir.File("nginx.conf", "events {}\nhttp {\n    server_tokens on;\n    server {\n");

        var r = CliRunner.Run("-t", "--strict", "-p", dir.Path, "-c", conf);

        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotContain("[security:", r.Stderr);
        Assert.Contains("unexpected end of file", r.Stderr);
    }

    [Fact]
    public void TestStrict_ShippedDefaultConfig_Clean()
    {
        using var prefix = new TempDir();
        var conf = Path.Combine(prefix.Path, "conf");
        Directory.CreateDirectory(conf);
        foreach (var f in Directory.GetFiles(RepoPaths.Conf))
        {
            File.Copy(f, Path.Combine(conf, Path.GetFileName(f)));
        }

        var r = CliRunner.Run("-t", "--strict", "-p", prefix.Path);

        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("[security:", r.Stderr);
    }

    /// <summary>
    /// The seed examples as users include them. fastcgi-php.conf is the guide's stock PHP location and has two real
    /// findings: nothing clears HTTP_PROXY (the stock fastcgi_params does not), and no "try_files $uri =404" guards
    /// "/x.jpg/y.php" (php-fpm's security.limit_extensions mitigates it, the config should not depend on it).
    /// proxy-unix.conf (Host $host, not $http_host) and worker-user.conf (www-data) are clean.
    /// </summary>
    [Theory]
    [InlineData("fastcgi-php.conf", "server", "httpoxy,php-path-info")]
    [InlineData("proxy-unix.conf", "server", "")]
    [InlineData("worker-user.conf", "main", "")]
    public void Test_SeedExample_OnlyJustifiedFindings(string file, string level, string expected)
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(RepoPaths.Conf, "fastcgi_params"), Path.Combine(dir.Path, "fastcgi_params"));
        var include = $"include {Path.Combine(RepoPaths.Seed, file)};";
        var conf = dir.File("nginx.conf", level == "main"
            ? $"{include}\nevents {{}}\n"
            : $"events {{}}\nhttp {{\n    server {{\n        listen 127.0.0.1:18091;\n        root {dir.Path};\n        {include}\n    }}\n}}\n");

        var r = CliRunner.Run("-t", "-p", dir.Path + "/", "-c", conf);

        Assert.Equal(0, r.ExitCode);
        var found = r.StderrLines
            .Where(l => l.Contains("[security:", StringComparison.Ordinal))
            .Select(l => l.Split("[security:")[1].Split(']')[0])
            .Distinct()
            .Order();
        Assert.Equal(expected, string.Join(',', found));
        Assert.All(r.StderrLines.Where(l => l.Contains("[security:", StringComparison.Ordinal)),
            l => Assert.EndsWith($" in {Path.Combine(RepoPaths.Seed, file)}:4", l));
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--origin-https-only" }, true)]
    [InlineData(new[] { "--origin-domains=example.org" }, true)]
    [InlineData(new[] { "--origin-domains=example.com" }, false)]
    public void Test_OriginOptions_ChangeOriginsVerdict(string[] flags, bool finding)
    {
        using var dir = new TempDir();
        var conf = dir.File("nginx.conf", "events {}\nhttp {\n    server {\n        if ($http_origin !~ '^https?://example\\.com/') { return 403; }\n    }\n}\n");

        var r = CliRunner.Run(["-t", "-p", dir.Path, "-c", conf, .. flags]);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(finding, r.Stderr.Contains("[security:origins]", StringComparison.Ordinal));
    }

    [Fact]
    public void InstalledNginxlite_StrictFinding_SameAsInProcess()
    {
        using var dir = new TempDir();
        var conf = dir.File("nginx.conf", Bad);
        string[] args = ["-t", "--strict", "-p", dir.Path, "-c", conf];

        var installed = InstalledBinaryTests.RunInstalled(args);
        var inProcess = CliRunner.Run(args);

        Assert.Equal(1, inProcess.ExitCode);
        Assert.Equal(inProcess.ExitCode, installed.ExitCode);
        Assert.Equal(inProcess.Stderr, installed.Stderr);
    }
}
