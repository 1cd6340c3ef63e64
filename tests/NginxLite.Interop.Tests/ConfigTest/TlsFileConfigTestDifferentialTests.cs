using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.ConfigTest;

/// <summary>
/// <c>-t</c> and start on TLS files damaged past the PEM layer, Debian's nginx and nginxlite on the same files
/// (<see cref="DamagedTlsFiles"/>): a key whose DER is not a key or that is not the certificate's, a CRL whose DER is
/// not a CRL (in a trusted or CRL file), a damaged block further down a certificate chain — for proxy_ssl_* and for a
/// server's ssl_*. Same verdict,
/// same exit code, same <c>[emerg]</c> text once the asn1 errors naming the failing ASN.1 field are taken out of
/// nginx's (only OpenSSL's parser knows them; docs/intentional-differences.tsv).
/// </summary>
public sealed partial class TlsFileConfigTestDifferentialTests
{
    private const string Proxy = "location / { proxy_pass https://127.0.0.1:1; ";
    private const string ProxyCert = Proxy + "proxy_ssl_certificate DIR/server.pem; proxy_ssl_certificate_key ";
    private const string ProxyChain = Proxy + "proxy_ssl_certificate_key DIR/server.key; proxy_ssl_certificate ";
    private const string ProxyVerify = Proxy + "proxy_ssl_verify on; ";
    private const string ServerSsl = "listen 127.0.0.1:PORT2 ssl; ssl_certificate DIR/server.pem; ssl_certificate_key DIR/server.key; ";

    public static TheoryData<string, string, int> Cases() => new()
    {
        // 1. Keys: the DER is not a key (PKCS#8, PKCS#1, SEC 1 labels), cut short; a damaged block before a sound one passes.
        { "proxy_key_pkcs8_der", ProxyCert + "DIR/key-der.key; }", 1 },
        { "proxy_key_pkcs1_der", ProxyCert + "DIR/rsa-der.key; }", 1 },
        { "proxy_key_sec1_der", ProxyCert + "DIR/ec-der.key; }", 1 },
        { "proxy_key_cut", ProxyCert + "DIR/key-cut.key; }", 1 },
        { "proxy_key_damaged_then_sound", ProxyCert + "DIR/key-damaged-then-sound.key; }", 0 },
        { "proxy_key_missing", ProxyCert + "DIR/none.key; }", 1 },
        { "proxy_key_cut_then_sound", ProxyCert + "DIR/key-cut-then-sound.key; }", 1 },
        { "proxy_key_not_the_certificates", ProxyCert + "DIR/other.key; }", 1 },
        { "proxy_key_of_another_type", ProxyCert + "DIR/rsa.key; }", 0 },
        { "server_key_not_the_certificates", "ssl_certificate DIR/server.pem; ssl_certificate_key DIR/other.key;", 1 },
        { "server_key_der", "listen 127.0.0.1:PORT2 ssl; ssl_certificate DIR/server.pem; ssl_certificate_key DIR/key-der.key;", 1 },
        { "server_key_sound", ServerSsl, 0 },

        // 2. CRLs: in a trusted file (after a certificate, or alone), in a CRL file; a key with a damaged DER in a trusted file.
        { "proxy_trusted_crl_der", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca-and-crl-der.pem; }", 1 },
        { "proxy_trusted_crl_cut", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca-and-crl-cut.pem; }", 1 },
        { "proxy_trusted_crl_only_der", ProxyVerify + "proxy_ssl_trusted_certificate DIR/crl-der.crl; }", 1 },
        { "proxy_trusted_key_der", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca-and-key-der.pem; }", 1 },
        { "proxy_trusted_trusted_certificate_der", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca-and-trusted-der.pem; }", 1 },
        { "proxy_trusted_with_crl", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca-and-crl.pem; }", 0 },
        { "proxy_crl_der", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca.pem; proxy_ssl_crl DIR/crl-der.crl; }", 1 },
        { "proxy_crl_cut", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca.pem; proxy_ssl_crl DIR/crl-cut.crl; }", 1 },
        { "proxy_crl_missing", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca.pem; proxy_ssl_crl DIR/none.crl; }", 1 },
        { "proxy_crl_is_a_key", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca.pem; proxy_ssl_crl DIR/server.key; }", 1 },
        { "proxy_crl_sound", ProxyVerify + "proxy_ssl_trusted_certificate DIR/ca.pem; proxy_ssl_crl DIR/ca.crl; }", 0 },
        { "proxy_crl_without_verify", Proxy + "proxy_ssl_crl DIR/crl-der.crl; }", 0 },
        { "server_trusted_crl_der", ServerSsl + "ssl_trusted_certificate DIR/ca-and-crl-der.pem;", 1 },
        { "server_trusted_missing", ServerSsl + "ssl_trusted_certificate DIR/none.pem;", 1 },
        { "server_client_crl_der", ServerSsl + "ssl_verify_client on; ssl_client_certificate DIR/ca-and-crl-der.pem;", 1 },
        { "server_client_crl_only", ServerSsl + "ssl_verify_client on; ssl_client_certificate DIR/ca.crl;", 1 },
        { "server_client_not_verified", ServerSsl + "ssl_client_certificate DIR/ca-and-crl-der.pem;", 0 },
        { "server_verify_without_client", ServerSsl + "ssl_verify_client on;", 1 },
        { "server_crl_der", ServerSsl + "ssl_crl DIR/crl-cut.crl;", 1 },
        { "server_crl_sound", ServerSsl + "ssl_verify_client optional; ssl_client_certificate DIR/ca-and-crl.pem; ssl_crl DIR/ca.crl;", 0 },
        { "server_without_ssl_crl_der", "ssl_crl DIR/crl-der.crl; ssl_trusted_certificate DIR/crl-der.crl;", 0 },

        // 3. Chains: a damaged second block (certificate DER, old label, cut, base64, end line, another label's base64).
        { "proxy_chain_sound", ProxyChain + "DIR/chain.pem; }", 0 },
        { "proxy_chain_der", ProxyChain + "DIR/chain-der.pem; }", 1 },
        { "proxy_chain_old_label_der", ProxyChain + "DIR/chain-old-label-der.pem; }", 1 },
        { "proxy_chain_cut", ProxyChain + "DIR/chain-cut.pem; }", 1 },
        { "proxy_chain_b64", ProxyChain + "DIR/chain-b64.pem; }", 1 },
        { "proxy_chain_no_end", ProxyChain + "DIR/chain-no-end.pem; }", 1 },
        { "proxy_chain_key_der", ProxyChain + "DIR/chain-key-der.pem; }", 0 },
        { "proxy_chain_key_b64", ProxyChain + "DIR/chain-key-b64.pem; }", 1 },
        { "proxy_chain_cut_then_sound", ProxyChain + "DIR/chain-cut-then-sound.pem; }", 1 },
        { "server_chain_der", "ssl_certificate DIR/chain-der.pem; ssl_certificate_key DIR/server.key;", 1 },
        { "server_chain_no_end", "listen 127.0.0.1:PORT2 ssl; ssl_certificate DIR/chain-no-end.pem; ssl_certificate_key DIR/server.key;", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConfigTest_DamagedTlsFile_SameVerdictAndMessageAsNginx(string name, string server, int exitCode)
    {
        using var dir = new TempDir();
        var conf = WriteConfig(dir.Path, name, server);

        var (nginx, lite) = ConfigTestRuns.Test(dir.Path, conf);

        Assert.Equal(exitCode, nginx.ExitCode);
        Assert.Equal(exitCode, lite.ExitCode);
        Assert.Equal(WithoutAsn1Detail(ConfigTestRuns.Emerg(nginx.Stderr)), ConfigTestRuns.Emerg(lite.Stderr));
    }

    [Theory]
    [InlineData("proxy_key_pkcs1_der")]
    [InlineData("proxy_crl_der")]
    [InlineData("proxy_chain_der")]
    [InlineData("server_trusted_crl_der")]
    public void Start_DamagedTlsFile_FailsLikeNginx(string name)
    {
        using var dir = new TempDir();
        var conf = WriteConfig(dir.Path, name, Cases().First(c => (string)c[0] == name)[1].ToString()!);

        var (nginx, lite) = ConfigTestRuns.Start(dir.Path, conf);

        Assert.Equal(1, nginx.ExitCode);
        Assert.Equal(1, lite.ExitCode);
        Assert.NotNull(ConfigTestRuns.Emerg(lite.Stderr));
        Assert.Equal(WithoutAsn1Detail(ConfigTestRuns.Emerg(nginx.Stderr)), ConfigTestRuns.Emerg(lite.Stderr));
    }

    // ngx_conf_full_name(…, 1): a relative TLS file is under the directory of the config file, not under -p.
    [Theory]
    [InlineData("proxy_ssl_certificate chain-der.pem; proxy_ssl_certificate_key server.key;")]
    [InlineData("proxy_ssl_verify on; proxy_ssl_trusted_certificate ca.pem; proxy_ssl_crl crl-der.crl;")]
    public void ConfigTest_RelativeTlsPath_ResolvedAgainstTheConfigDirectory(string directives)
    {
        using var dir = new TempDir();
        var confDir = Directory.CreateDirectory(Path.Combine(dir.Path, "site")).FullName;
        _ = new DamagedTlsFiles(confDir);
        var conf = Path.Combine(confDir, "relative.conf");
        File.WriteAllText(conf, $$"""
            events {}
            pid {{dir.Path}}/nginx.pid;
            error_log {{dir.Path}}/error.log;
            http {
              access_log off;
              server { listen 127.0.0.1:{{FreePort.Next()}}; location / { proxy_pass https://127.0.0.1:1; {{directives}} } }
            }
            """);

        var (nginx, lite) = ConfigTestRuns.Test(dir.Path + "/", conf);

        Assert.Equal(1, nginx.ExitCode);
        Assert.Equal(1, lite.ExitCode);
        Assert.Contains(confDir + "/", ConfigTestRuns.Emerg(lite.Stderr), StringComparison.Ordinal);
        Assert.Equal(WithoutAsn1Detail(ConfigTestRuns.Emerg(nginx.Stderr)), ConfigTestRuns.Emerg(lite.Stderr));
    }

    private static string WriteConfig(string dir, string name, string server)
    {
        _ = new DamagedTlsFiles(dir);
        var body = server.Replace("DIR", dir, StringComparison.Ordinal).Replace("PORT2", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var conf = Path.Combine(dir, name + ".conf");
        File.WriteAllText(conf, $$"""
            events {}
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            http {
              access_log off;
              server { listen 127.0.0.1:{{FreePort.Next()}}; {{body}} }
            }
            """);
        return conf;
    }

    /// <summary>nginx's text without OpenSSL's errors about the ASN.1 it could not decode: the asn1 encoding routines
    /// ones (error:06…) and the key decoder's per-structure ones on DER input (only OpenSSL's parser knows them).</summary>
    internal static string? WithoutAsn1Detail(string? emerg)
    {
        if (emerg is null || !emerg.EndsWith(')'))
        {
            return emerg;
        }

        var errors = ErrorStart().Split(emerg[..^1])
            .Where(e => !e.StartsWith("error:06", StringComparison.Ordinal)
                && !(e.StartsWith("error:1E08010C:", StringComparison.Ordinal) && e.Contains("Input type: DER", StringComparison.Ordinal)));
        return string.Join(' ', errors) + ")";
    }

    [GeneratedRegex(@" (?=error:[0-9A-F]{8}:)")]
    private static partial Regex ErrorStart();
}
