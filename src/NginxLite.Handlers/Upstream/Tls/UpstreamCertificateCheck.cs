using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace NginxLite.Handlers.Upstream.Tls;

/// <summary>
/// proxy_ssl_verify or uwsgi_ssl_verify on: the upstream's certificate checked as nginx does after the handshake
/// (ngx_http_upstream_ssl_handshake): SSL_get_verify_result against *_ssl_trusted_certificate only, with
/// *_ssl_verify_depth, then ngx_ssl_check_host (X509_check_host) against *_ssl_name. Failures read as
/// OpenSSL's verify codes and texts, so the error-log line matches nginx's:
/// <c>upstream SSL certificate verify error: (10:certificate has expired)</c>.
/// </summary>
internal static class UpstreamCertificateCheck
{
    /// <summary>Null when the certificate is good, else nginx's message (without the "while …" phase).</summary>
    public static string? Check(X509Certificate2 leaf, X509Chain? presented, UpstreamTlsContext context, string name)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (context.TrustedRoots is { } roots)
        {
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }

        if (presented is not null)
        {
            // The intermediates the upstream sent.
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        chain.Build(leaf);
        if (VerifyError(chain, leaf, context.Settings.VerifyDepth) is { } error)
        {
            return "upstream SSL certificate verify error: " + error;
        }

        return MatchesHost(leaf, name) ? null : $"upstream SSL certificate does not match \"{name}\"";
    }

    // OpenSSL keeps the last error its verify callback saw (nginx's callback goes on after each): trust errors come
    // from building the chain, time errors later from internal_verify, so an expired certificate reads as expired.
    private static string? VerifyError(X509Chain chain, X509Certificate2 leaf, int depth)
    {
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain.ChainStatus)
        {
            flags |= status.Status;
        }

        var now = DateTime.Now;
        foreach (var element in chain.ChainElements)
        {
            if (element.Certificate.NotAfter < now)
            {
                return "(10:certificate has expired)";
            }

            if (element.Certificate.NotBefore > now)
            {
                return "(9:certificate is not yet valid)";
            }
        }

        if ((flags & X509ChainStatusFlags.UntrustedRoot) != 0)
        {
            return chain.ChainElements.Count <= 1 && leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData)
                ? "(18:self-signed certificate)"
                : "(19:self-signed certificate in certificate chain)";
        }

        if ((flags & X509ChainStatusFlags.PartialChain) != 0)
        {
            // OpenSSL's build_chain: no issuer found for a chain that is only the leaf is 21 (what nginx logs for a
            // certificate signed by a CA other than the trusted one); with intermediates found, 20.
            return leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData)
                ? "(18:self-signed certificate)"
                : chain.ChainElements.Count <= 1
                    ? "(21:unable to verify the first certificate)"
                    : "(20:unable to get local issuer certificate)";
        }

        if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
        {
            return "(7:certificate signature failure)";
        }

        if ((flags & X509ChainStatusFlags.InvalidBasicConstraints) != 0)
        {
            return "(24:invalid CA certificate)";
        }

        if (flags != X509ChainStatusFlags.NoError)
        {
            return "(0:" + chain.ChainStatus[0].StatusInformation.Trim() + ")";
        }

        // SSL_CTX_set_verify_depth: depth N allows N intermediate CAs between the leaf and the trust anchor.
        if (chain.ChainElements.Count - 2 > depth)
        {
            return "(22:certificate chain too long)";
        }

        return null;
    }

    /// <summary>X509_check_host with nginx's flags (0): the DNS names of subjectAltName, or the subject's CN when there
    /// is none; a "*" left-most label matches one label. An IP address name is compared as text, as OpenSSL does.</summary>
    internal static bool MatchesHost(X509Certificate2 cert, string name)
    {
        var names = new List<string>();
        foreach (var extension in cert.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
            }
        }

        if (names.Count == 0 && cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } cn)
        {
            names.Add(cn);
        }

        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (candidate.StartsWith("*.", StringComparison.Ordinal) && !IPAddress.TryParse(name, out _))
            {
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && candidate.AsSpan(1).Equals(name.AsSpan(dot), StringComparison.OrdinalIgnoreCase)
                    && candidate.Count(c => c == '.') >= 2)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
