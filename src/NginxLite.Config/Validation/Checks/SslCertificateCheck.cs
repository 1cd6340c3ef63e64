using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// ngx_http_ssl_merge_srv_conf, when http { } is closed, server by server: with <c>ssl on</c> and no certificate,
/// <c>no "ssl_certificate" is defined for the "ssl" directive</c> (at the <c>ssl</c> line). For a server with a
/// certificate (its own or http's), only when the environment is checked and with OpenSSL's messages and no position,
/// the files in nginx's order: each certificate (missing, no PEM block, a damaged block anywhere in its chain) and its
/// key (missing, no key that decodes, not the certificate's), the ssl_client_certificate file when ssl_verify_client is on (or
/// <c>no ssl_client_certificate for ssl_verify_client</c>), the ssl_trusted_certificate file, the ssl_crl file
/// (<see cref="CertificateFile"/>). nginx stops at the first failing server; each distinct message is reported once.
/// </summary>
public sealed class SslCertificateCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var server in SslServer.In(http))
            {
                if (server.Enable is { } enable && server.Certificates.Count == 0)
                {
                    scope.Emerg("no \"ssl_certificate\" is defined for the \"ssl\" directive", enable.Position, http.EndOrdinal);
                    continue;
                }

                if (server.Certificates.Count > 0 && Error(server, http, scope) is { } error && reported.Add(error))
                {
                    scope.Emerg(error, null, http.EndOrdinal);
                }
            }
        }
    }

    private static string? Error(SslServer server, BoundDirective http, BindScope scope)
    {
        var environment = scope.Options.CheckEnvironment;

        // ngx_ssl_certificates: each certificate with the key of the same rank (a missing key is another message).
        var keys = server.Server.ChildrenNamed("ssl_certificate_key").ToList() is { Count: > 0 } own ? own : http.ChildrenNamed("ssl_certificate_key").ToList();
        for (var i = 0; environment && i < server.Certificates.Count; i++)
        {
            if (server.Certificates[i].Arguments.Count == 1 && CertificateFile.CertificateError(server.Certificates[i].Arg(0), scope) is { } certificate)
            {
                return certificate;
            }

            if (i < keys.Count && keys[i].Arguments.Count == 1
                && (CertificateFile.KeyError(keys[i].Arg(0), scope) ?? CertificateFile.KeyMismatchError(server.Certificates[i].Arg(0), keys[i].Arg(0), scope)) is { } key)
            {
                return key;
            }
        }

        var verify = Setting(server.Server, http, "ssl_verify_client")?.Arg(0) ?? "off";
        var client = Setting(server.Server, http, "ssl_client_certificate")?.Arg(0) ?? "";
        if (verify != "off")
        {
            if (client.Length == 0 && verify != "optional_no_ca")
            {
                return "no ssl_client_certificate for ssl_verify_client";
            }

            if (environment && client.Length > 0 && ClientError(client, scope) is { } clientError)
            {
                return clientError;
            }
        }

        if (!environment)
        {
            return null;
        }

        return (Setting(server.Server, http, "ssl_trusted_certificate") is { Arguments: [{ Value.Length: > 0 } trusted] }
                ? CertificateFile.TrustedError(trusted.Value, scope)
                : null)
            ?? (Setting(server.Server, http, "ssl_crl") is { Arguments: [{ Value.Length: > 0 } crl] }
                ? CertificateFile.TrustedError(crl.Value, scope, "X509_LOOKUP_load_file")
                : null);
    }

    /// <summary>ngx_ssl_client_certificate: SSL_CTX_load_verify_locations, then SSL_load_client_CA_file, which needs a
    /// certificate PEM_read_bio_X509 reads (a file of CRLs only passes the first and fails the second).</summary>
    private static string? ClientError(string value, BindScope scope) =>
        CertificateFile.TrustedError(value, scope)
        ?? (CertificateFile.PathOf(value, scope) is { } path && !PemFile.HasChainCertificate(path)
            ? $"SSL_load_client_CA_file(\"{path}\") failed (SSL: error:0480006C:PEM routines::no start line:Expecting: CERTIFICATE)"
            : null);

    private static BoundDirective? Setting(BoundDirective server, BoundDirective http, string name) =>
        server.ChildrenNamed(name).LastOrDefault() ?? http.ChildrenNamed(name).LastOrDefault();
}
