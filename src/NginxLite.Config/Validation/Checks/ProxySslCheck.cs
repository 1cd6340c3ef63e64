using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// ngx_http_proxy_set_ssl, run by ngx_http_proxy_merge_loc_conf for a location whose proxy_pass is <c>https://</c> or has
/// variables (the scheme is then only known per request, so nginx prepares TLS anyway), in its order:
/// <c>no "proxy_ssl_certificate_key" is defined for certificate "…"</c>, the certificate file, a certificate or key
/// file with no PEM block of its kind or a damaged one (PEM_read_bio_X509_AUX / PEM_read_bio_PrivateKey), then with
/// <c>proxy_ssl_verify on</c> <c>no proxy_ssl_trusted_certificate for proxy_ssl_verify</c> and the trusted file (missing,
/// with no certificate or CRL, or a damaged one). The
/// messages carry no position (they come from the merge at the end of http { }); unreadable files only when the
/// environment is checked. Settings are the nearest ones up the block tree, as the merge inherits them.
/// </summary>
public sealed class ProxySslCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var pass in ConfigTree.Named(http, "proxy_pass"))
            {
                if (pass.Arguments.Count != 1 || !NeedsSsl(pass.Arg(0)) || Error(pass, scope) is not { } error)
                {
                    continue;
                }

                scope.Emerg(error, null, http.EndOrdinal);
                return; // nginx stops at the first failing merge
            }
        }
    }

    private static bool NeedsSsl(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.Contains('$', StringComparison.Ordinal);

    private static string? Error(BoundDirective pass, BindScope scope)
    {
        var certificate = Effective(pass, "proxy_ssl_certificate");
        if (certificate is { Arguments.Count: 1 } && certificate.Arg(0).Length > 0)
        {
            var key = Effective(pass, "proxy_ssl_certificate_key");
            if (key is null)
            {
                return $"no \"proxy_ssl_certificate_key\" is defined for certificate \"{certificate.Arg(0)}\"";
            }

            if (scope.Options.CheckEnvironment && CertificateFile.Missing(certificate.Arg(0), scope) is { } path)
            {
                return CertificateFile.CannotLoad(path);
            }

            // ngx_ssl_certificate reads the certificate, then the key; a file PEM_read_bio_* fails on fails -t.
            if (scope.Options.CheckEnvironment && Damaged(certificate.Arg(0), PemFile.CertificateLabels, all: false, scope) is { } bad)
            {
                return $"cannot load certificate \"{bad.Path}\": PEM_read_bio_X509_AUX() failed (SSL: " +
                    (bad.Problem == PemProblem.NoStartLine ? "error:0480006C:PEM routines::no start line:Expecting: TRUSTED CERTIFICATE" : PemReason(bad.Problem)) + ")";
            }

            // OpenSSL 3's decoder reports a key block it cannot read (bad base64, no end line) as it reports no block.
            if (scope.Options.CheckEnvironment && Damaged(key.Arg(0), PemFile.KeyLabels, all: false, scope) is { } notKey)
            {
                return $"cannot load certificate key \"{notKey.Path}\": PEM_read_bio_PrivateKey() failed " +
                    "(SSL: error:1E08010C:DECODER routines::unsupported:No supported data to decode. Input type: PEM)";
            }
        }

        if (Effective(pass, "proxy_ssl_verify") is not { Arguments: [{ Value: "on" }] })
        {
            return null;
        }

        var trusted = Effective(pass, "proxy_ssl_trusted_certificate");
        if (trusted is null || trusted.Arguments.Count != 1 || trusted.Arg(0).Length == 0)
        {
            return "no proxy_ssl_trusted_certificate for proxy_ssl_verify";
        }

        if (!scope.Options.CheckEnvironment)
        {
            return null;
        }

        if (CertificateFile.Missing(trusted.Arg(0), scope) is { } file)
        {
            return $"SSL_CTX_load_verify_locations(\"{file}\") failed (SSL: error:80000002:system library::No such file or directory:" +
                $"calling fopen({file}, r) error:10000080:BIO routines::no such file error:05880002:x509 certificate routines::system lib)";
        }

        return Damaged(trusted.Arg(0), PemFile.TrustedLabels, all: true, scope) is not { } damaged ? null
            : damaged.Problem == PemProblem.NoStartLine
            ? $"SSL_CTX_load_verify_locations(\"{damaged.Path}\") failed (SSL: error:05800088:x509 certificate routines::no certificate or crl found)"
            : $"SSL_CTX_load_verify_locations(\"{damaged.Path}\") failed (SSL: {PemReason(damaged.Problem)} error:05880009:x509 certificate routines::PEM lib)";
    }

    /// <summary>OpenSSL 3's error for a damaged block, as nginx 1.22.1 prints it (ngx_ssl_error). A DER that is not a
    /// certificate prints only the final "ASN1 lib": the asn1 encoding routines errors before it name the field that
    /// failed, which only OpenSSL's own parser knows (docs/intentional-differences.tsv).</summary>
    private static string PemReason(PemProblem problem) => problem switch
    {
        PemProblem.BadBase64 => "error:04800064:PEM routines::bad base64 decode",
        PemProblem.BadEndLine => "error:04800066:PEM routines::bad end line",
        _ => "error:0488000D:PEM routines::ASN1 lib",
    };

    /// <summary>The path of a file that exists but OpenSSL's PEM reader would fail on, and why (null otherwise, and
    /// for values known only later).</summary>
    private static (string Path, PemProblem Problem)? Damaged(string value, string[] labels, bool all, BindScope scope) =>
        CertificateFile.PathOf(value, scope) is { } path && File.Exists(path) && PemFile.Inspect(path, labels, all) is var problem and not PemProblem.None
            ? (path, problem)
            : null;

    private static BoundDirective? Effective(BoundDirective pass, string name)
    {
        for (var block = pass.Parent; block is not null; block = block.Parent)
        {
            if (block.ChildrenNamed(name).LastOrDefault() is { } found)
            {
                return found;
            }

            if (block.Name == "http")
            {
                break;
            }
        }

        return null;
    }
}
