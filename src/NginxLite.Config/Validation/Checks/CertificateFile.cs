using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// A certificate, key, trusted-certificate or CRL file as nginx opens it when the configuration is loaded
/// (ssl_certificate, ssl_trusted_certificate, proxy_ssl_*): the path relative to the prefix, and the message nginx
/// 1.22.1 (OpenSSL 3) prints when the file is not there or its reader fails on it (<see cref="PemFile"/>). Values with
/// variables and <c>data:</c> values are read only per connection, so they have no path here; the contents are only
/// read when the environment is checked.
/// </summary>
internal static class CertificateFile
{
    private const string NoSuchFile = "error:80000002:system library::No such file or directory:calling fopen({0}, r) error:10000080:BIO routines::no such file";

    /// <summary>The path nginx would open, or null for a value known only later: relative to the conf prefix, as
    /// ngx_ssl_certificate, ngx_ssl_trusted_certificate and ngx_ssl_crl resolve it (ngx_conf_full_name(…, 1)).</summary>
    public static string? PathOf(string value, BindScope scope) =>
        value.Contains('$', StringComparison.Ordinal) || value.StartsWith("data:", StringComparison.Ordinal)
            ? null
            : Path.Combine(scope.Options.ConfigDirectory ?? Path.Combine(scope.Options.Prefix, "conf"), value);

    /// <summary>ngx_ssl_certificate's error for a certificate file that is not there (nginx 1.22.1, OpenSSL 3).</summary>
    public static string CannotLoad(string path) =>
        $"cannot load certificate \"{path}\": BIO_new_file() failed (SSL: {string.Format(null, NoSuchFile, path)})";

    /// <summary>ngx_ssl_certificate on the certificate file: BIO_new_file, then ngx_ssl_load_certificate's
    /// PEM_read_bio_X509_AUX (first certificate) and PEM_read_bio_X509 (the rest of the chain).</summary>
    public static string? CertificateError(string value, BindScope scope)
    {
        if (PathOf(value, scope) is not { } path)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            return CannotLoad(path);
        }

        return PemFile.Certificate(path) is var first and not PemProblem.None
            ? $"cannot load certificate \"{path}\": PEM_read_bio_X509_AUX() failed (SSL: " +
                (first == PemProblem.NoStartLine ? "error:0480006C:PEM routines::no start line:Expecting: TRUSTED CERTIFICATE" : Reason(first)) + ")"
            : PemFile.Chain(path) is var chain and not PemProblem.None
            ? $"cannot load certificate \"{path}\": PEM_read_bio_X509() failed (SSL: {Reason(chain)})"
            : null;
    }

    /// <summary>ngx_ssl_certificate on the key file: BIO_new_file, then PEM_read_bio_PrivateKey. OpenSSL 3's decoder
    /// reports a file with no key block it can decode in one way; when a block was there but its DER is not a key,
    /// nginx also prints the asn1 errors naming the field, which nginxlite leaves out (docs/intentional-differences.tsv).</summary>
    public static string? KeyError(string value, BindScope scope)
    {
        if (PathOf(value, scope) is not { } path)
        {
            return null;
        }

        return !File.Exists(path)
            ? $"cannot load certificate key \"{path}\": BIO_new_file() failed (SSL: {string.Format(null, NoSuchFile, path)})"
            : PemFile.Key(path) != PemProblem.None
            ? $"cannot load certificate key \"{path}\": PEM_read_bio_PrivateKey() failed " +
                "(SSL: error:1E08010C:DECODER routines::unsupported:No supported data to decode. Input type: PEM)"
            : null;
    }

    /// <summary>SSL_CTX_use_PrivateKey after both files loaded: a key of the certificate's type that is not its key.</summary>
    public static string? KeyMismatchError(string certificate, string key, BindScope scope) =>
        PathOf(certificate, scope) is { } certificatePath && PathOf(key, scope) is { } keyPath
        && !PemFile.KeyMatchesCertificate(certificatePath, keyPath)
            ? $"SSL_CTX_use_PrivateKey(\"{keyPath}\") failed (SSL: error:05800074:x509 certificate routines::key values mismatch)"
            : null;

    /// <summary>SSL_CTX_load_verify_locations (ngx_ssl_trusted_certificate, ngx_ssl_client_certificate) or, with
    /// <paramref name="function"/> X509_LOOKUP_load_file, ngx_ssl_crl: both read the file with X509_load_cert_crl_file.</summary>
    public static string? TrustedError(string value, BindScope scope, string function = "SSL_CTX_load_verify_locations")
    {
        if (PathOf(value, scope) is not { } path)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            return $"{function}(\"{path}\") failed (SSL: {string.Format(null, NoSuchFile, path)} error:05880002:x509 certificate routines::system lib)";
        }

        return PemFile.Trusted(path) switch
        {
            PemProblem.None => null,
            PemProblem.NoStartLine => $"{function}(\"{path}\") failed (SSL: error:05800088:x509 certificate routines::no certificate or crl found)",
            var problem => $"{function}(\"{path}\") failed (SSL: {Reason(problem)} error:05880009:x509 certificate routines::PEM lib)",
        };
    }

    /// <summary>OpenSSL 3's error for a damaged block, as nginx 1.22.1 prints it (ngx_ssl_error). A DER that is not
    /// what its label says prints only the final "ASN1 lib": the asn1 encoding routines errors before it name the field
    /// that failed, which only OpenSSL's own parser knows (docs/intentional-differences.tsv).</summary>
    private static string Reason(PemProblem problem) => problem switch
    {
        PemProblem.BadBase64 => "error:04800064:PEM routines::bad base64 decode",
        PemProblem.BadEndLine => "error:04800066:PEM routines::bad end line",
        _ => "error:0488000D:PEM routines::ASN1 lib",
    };
}
