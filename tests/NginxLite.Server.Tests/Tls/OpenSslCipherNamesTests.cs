using System.Diagnostics;
using System.Net.Security;
using NginxLite.Server.Tls;

namespace NginxLite.Server.Tests.Tls;

/// <summary>$ssl_cipher names: OpenSSL's own names for TLS 1.2 suites, the IANA name for TLS 1.3 ones, checked against
/// the installed OpenSSL's <c>openssl ciphers -stdname</c> (the library nginx links).</summary>
public sealed class OpenSslCipherNamesTests
{
    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA-AES256-GCM-SHA384")]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA-AES256-GCM-SHA384")]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305")]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, "AES128-SHA")]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384, "ECDHE-ARIA256-GCM-SHA384")]
    [InlineData(TlsCipherSuite.TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384")]
    [InlineData(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256")]
    public void OpenSslCipherNames_KnownSuite_OpenSslName(TlsCipherSuite suite, string expected) =>
        Assert.Equal(expected, OpenSslCipherNames.Name(suite));

    [Fact]
    public void OpenSslCipherNames_EverySuiteOpenSslOffers_SameNameAsOpenSsl()
    {
        var psi = new ProcessStartInfo("openssl", ["ciphers", "-stdname", "ALL:COMPLEMENTOFALL"]) { RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000));

        var compared = 0;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 - ECDHE-RSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH ..."
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[0].Contains("PSK", StringComparison.Ordinal) || parts[0].Contains("anon", StringComparison.Ordinal)
                || parts[0].Contains("SRP", StringComparison.Ordinal) || !Enum.TryParse<TlsCipherSuite>(parts[0], out var suite))
            {
                continue;
            }

            Assert.Equal(parts[2], OpenSslCipherNames.Name(suite));
            compared++;
        }

        Assert.True(compared > 50, $"only {compared} suites compared:\n{output}");
    }
}
