using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// ngx_http_proxy_set_ssl, run by ngx_http_proxy_merge_loc_conf for a location whose proxy_pass is <c>https://</c> or has
/// variables (the scheme is then only known per request, so nginx prepares TLS anyway), and its twin
/// ngx_http_uwsgi_set_ssl for a uwsgi_pass that is <c>suwsgi://</c> or has variables (the same checks and words with
/// uwsgi_ssl_*; one instance per module), in its order:
/// <c>no "proxy_ssl_certificate_key" is defined for certificate "…"</c>, the certificate file (missing, no PEM block of
/// its kind, a damaged first block or a damaged block further down the chain), the key file (missing, no key block that
/// decodes, not the certificate's key), then with <c>proxy_ssl_verify on</c> <c>no proxy_ssl_trusted_certificate for proxy_ssl_verify</c>, the
/// trusted file and the proxy_ssl_crl file (missing, with no certificate or CRL, or a damaged block):
/// <see cref="CertificateFile"/> has the messages. The
/// messages carry no position (they come from the merge at the end of http { }); unreadable files only when the
/// environment is checked. Settings are the nearest ones up the block tree, as the merge inherits them.
/// </summary>
public sealed class UpstreamSslCheck(string module, string tlsScheme) : IConfigCheck
{
    /// <summary>proxy_pass https://… with proxy_ssl_*.</summary>
    public static UpstreamSslCheck Proxy() => new("proxy", "https://");

    /// <summary>uwsgi_pass suwsgi://… with uwsgi_ssl_*.</summary>
    public static UpstreamSslCheck Uwsgi() => new("uwsgi", "suwsgi://");

    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var pass in ConfigTree.Named(http, module + "_pass"))
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

    private bool NeedsSsl(string url) =>
        url.StartsWith(tlsScheme, StringComparison.OrdinalIgnoreCase) || url.Contains('$', StringComparison.Ordinal);

    private string Ssl(string suffix) => module + "_ssl_" + suffix;

    private string? Error(BoundDirective pass, BindScope scope)
    {
        var certificate = Effective(pass, Ssl("certificate"));
        if (certificate is { Arguments.Count: 1 } && certificate.Arg(0).Length > 0)
        {
            var key = Effective(pass, Ssl("certificate_key"));
            if (key is null)
            {
                return $"no \"{Ssl("certificate_key")}\" is defined for certificate \"{certificate.Arg(0)}\"";
            }

            // ngx_ssl_certificate reads the certificate (and the rest of its chain), then the key.
            if (scope.Options.CheckEnvironment
                && (CertificateFile.CertificateError(certificate.Arg(0), scope) ?? CertificateFile.KeyError(key.Arg(0), scope)
                    ?? CertificateFile.KeyMismatchError(certificate.Arg(0), key.Arg(0), scope)) is { } bad)
            {
                return bad;
            }
        }

        if (Effective(pass, Ssl("verify")) is not { Arguments: [{ Value: "on" }] })
        {
            return null;
        }

        var trusted = Effective(pass, Ssl("trusted_certificate"));
        if (trusted is null || trusted.Arguments.Count != 1 || trusted.Arg(0).Length == 0)
        {
            return $"no {Ssl("trusted_certificate")} for {Ssl("verify")}";
        }

        if (!scope.Options.CheckEnvironment)
        {
            return null;
        }

        // ngx_ssl_trusted_certificate, then ngx_ssl_crl (X509_LOOKUP_load_file on the same reader).
        return CertificateFile.TrustedError(trusted.Arg(0), scope)
            ?? (Effective(pass, Ssl("crl")) is { Arguments: [{ Value.Length: > 0 } crl] }
                ? CertificateFile.TrustedError(crl.Value, scope, "X509_LOOKUP_load_file")
                : null);
    }

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
