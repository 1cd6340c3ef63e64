using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.Interop.Tests.Upstreams.Tls;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.ConfigTest;

/// <summary>
/// <c>-t</c> on proxy_ssl_* settings, Debian's nginx and nginxlite on the same file: the checks of
/// ngx_http_proxy_set_ssl (certificate without key, missing files, files that are not PEM, proxy_ssl_verify without
/// trusted certificates) give
/// the same verdict and the same <c>[emerg]</c> text; plain http proxy_pass and a complete https setup pass.
/// </summary>
public sealed partial class ProxySslConfigTestDifferentialTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "verify_without_trusted", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; }" },
        { "verify_inherited_variables", "location / { proxy_pass http://$host; } proxy_ssl_verify on;" },
        { "certificate_without_key", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate CERT; }" },
        { "certificate_missing_file", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate DIR/none.pem; proxy_ssl_certificate_key KEY; }" },
        { "trusted_missing_file", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/none.pem; }" },
        { "certificate_not_pem", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate DIR/bad.pem; proxy_ssl_certificate_key KEY; }" },
        { "certificate_key_not_pem", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate CERT; proxy_ssl_certificate_key DIR/bad.pem; }" },
        { "certificate_and_key_swapped", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate KEY; proxy_ssl_certificate_key CERT; }" },
        { "trusted_not_pem", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/bad.pem; }" },
        { "trusted_empty", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/empty.pem; }" },
        { "trusted_is_a_key", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate KEY; }" },
        { "verify_with_plain_http", "location / { proxy_pass http://127.0.0.1:1; proxy_ssl_verify on; }" },
        { "complete", "location / { proxy_pass https://127.0.0.1:1; proxy_ssl_verify on; proxy_ssl_trusted_certificate CA; proxy_ssl_certificate CERT; proxy_ssl_certificate_key KEY; }" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConfigTest_ProxySsl_SameVerdictAndMessageAsNginx(string name, string server)
    {
        using var dir = new TempDir();
        var certificates = new TestCertificates(dir.Path);
        var body = server.Replace("CERT", certificates.Server, StringComparison.Ordinal)
            .Replace("KEY", certificates.ServerKey, StringComparison.Ordinal)
            .Replace("CA", certificates.Ca, StringComparison.Ordinal)
            .Replace("DIR", dir.Path, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.Path, "bad.pem"), "not a certificate\n");
        File.WriteAllText(Path.Combine(dir.Path, "empty.pem"), "");
        var conf = Path.Combine(dir.Path, name + ".conf");
        File.WriteAllText(conf, $$"""
            events {}
            pid {{dir.Path}}/nginx.pid;
            error_log {{dir.Path}}/error.log;
            http {
              access_log off;
              server { listen 127.0.0.1:{{FreePort.Next()}}; {{body}} }
            }
            """);

        var nginx = CommandRun.Run(NginxFlavor.Binary, "-t", "-p", dir.Path, "-c", conf);
        var lite = CommandRun.Run(NginxLiteExecutable.Find().Path, "-t", "-p", dir.Path, "-c", conf);

        Assert.Equal(nginx.ExitCode, lite.ExitCode);
        Assert.Equal(Emerg(nginx.Stderr), Emerg(lite.Stderr));
        Assert.Equal(name is "verify_with_plain_http" or "complete" ? 0 : 1, lite.ExitCode);
    }

    [Theory]
    [InlineData("proxy_ssl_certificate DIR/bad.pem; proxy_ssl_certificate_key KEY;")]
    [InlineData("proxy_ssl_verify on; proxy_ssl_trusted_certificate DIR/bad.pem;")]
    public void Start_ProxySslFileNotPem_FailsLikeNginx(string directives)
    {
        using var dir = new TempDir();
        var certificates = new TestCertificates(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "bad.pem"), "not a certificate\n");
        var conf = Path.Combine(dir.Path, "start.conf");
        File.WriteAllText(conf, $$"""
            events {}
            pid {{dir.Path}}/server.pid;
            error_log {{dir.Path}}/error.log;
            http {
              access_log off;
              server {
                listen 127.0.0.1:{{FreePort.Next()}};
                location / { proxy_pass https://127.0.0.1:1; {{directives.Replace("DIR", dir.Path, StringComparison.Ordinal).Replace("KEY", certificates.ServerKey, StringComparison.Ordinal)}} }
              }
            }
            """);

        var nginx = StartOnce(NginxFlavor.Binary, dir.Path, conf);
        var lite = StartOnce(NginxLiteExecutable.Find().Path, dir.Path, conf);

        Assert.Equal(1, nginx.ExitCode);
        Assert.Equal(1, lite.ExitCode);
        Assert.Equal(Emerg(nginx.Stderr), Emerg(lite.Stderr));
        Assert.Matches("PEM_read_bio_X509_AUX|no certificate or crl found", Emerg(lite.Stderr) ?? "");
    }

    /// <summary>Starts a server in the foreground on a config that should not start; one that does start anyway is
    /// stopped by its PID after 30 s and reported with exit code -1.</summary>
    private static (int ExitCode, string Stderr) StartOnce(string exe, string prefix, string conf)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(exe, ["-p", prefix, "-c", conf, "-g", "daemon off;"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (-1, stderr.Result);
        }

        return (p.ExitCode, stderr.Result);
    }

    /// <summary>The text after "[emerg] " (nginx puts "PID#TID: " before it once its error log is open).</summary>
    private static string? Emerg(string stderr) =>
        stderr.Split('\n').FirstOrDefault(l => l.Contains("[emerg] ", StringComparison.Ordinal)) is { } line
            ? ThreadPrefix().Replace(line[(line.IndexOf("[emerg] ", StringComparison.Ordinal) + 8)..], "")
            : null;

    [GeneratedRegex(@"^\d+#\d+: ")]
    private static partial Regex ThreadPrefix();
}
