using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// A certificate or key file as nginx opens it when the configuration is loaded (ssl_certificate, proxy_ssl_*): the
/// path relative to the prefix, and OpenSSL's message when it is not there. Values with variables and <c>data:</c>
/// values are read only per connection, so they have no path here.
/// </summary>
internal static class CertificateFile
{
    /// <summary>The path nginx would open, or null for a value known only later.</summary>
    public static string? PathOf(string value, BindScope scope) =>
        value.Contains('$', StringComparison.Ordinal) || value.StartsWith("data:", StringComparison.Ordinal)
            ? null
            : Path.Combine(scope.Options.Prefix, value);

    /// <summary>The path nginx would open when it does not exist (null when it does, or is known only later).</summary>
    public static string? Missing(string value, BindScope scope) =>
        PathOf(value, scope) is { } path && !File.Exists(path) ? path : null;

    /// <summary>ngx_ssl_certificate's error for a certificate file that is not there (nginx 1.22.1, OpenSSL 3).</summary>
    public static string CannotLoad(string path) =>
        $"cannot load certificate \"{path}\": BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory:" +
        $"calling fopen({path}, r) error:10000080:BIO routines::no such file)";
}
