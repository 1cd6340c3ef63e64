using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// What OpenSSL's PEM readers would make of a file, without OpenSSL: a <c>-----BEGIN LABEL-----</c> line with one of
/// the labels the reader accepts (PEM_read_bio_X509_AUX: CERTIFICATE, TRUSTED CERTIFICATE, X509 CERTIFICATE;
/// PEM_read_bio_PrivateKey: the PRIVATE KEY forms; X509_load_cert_crl_file also X509 CRL), then that block as
/// PEM_read_bio_ex reads it (base64 body up to the matching <c>-----END LABEL-----</c>), then for a CERTIFICATE block
/// its DER (d2i_X509, which .NET's loader calls on Linux). nginx fails on each of these at configuration time.
/// </summary>
internal static class PemFile
{
    public static readonly string[] CertificateLabels = ["CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"];

    public static readonly string[] KeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];

    public static readonly string[] TrustedLabels = [.. CertificateLabels, "X509 CRL"];

    /// <summary>The first problem of the first block with one of <paramref name="labels"/> (of every such block when
    /// <paramref name="all"/>: X509_load_cert_crl_file reads them all); <see cref="PemProblem.None"/> also when the
    /// file cannot be read here (that is another check's message).</summary>
    public static PemProblem Inspect(string path, string[] labels, bool all = false)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PemProblem.None;
        }

        var found = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var l = Trim(lines[i]);
            if (!l.StartsWith("-----BEGIN ", StringComparison.Ordinal) || !l.EndsWith("-----", StringComparison.Ordinal)
                || !labels.Contains(l[11..^5], StringComparer.Ordinal))
            {
                continue;
            }

            found = true;
            var problem = Block(lines, ref i, l[11..^5]);
            if (problem != PemProblem.None || !all)
            {
                return problem;
            }
        }

        return found ? PemProblem.None : PemProblem.NoStartLine;
    }

    private static PemProblem Block(string[] lines, ref int i, string label)
    {
        var body = new System.Text.StringBuilder();
        var end = "-----END " + label + "-----";
        for (i++; i < lines.Length; i++)
        {
            var l = Trim(lines[i]);
            if (l.StartsWith("-----", StringComparison.Ordinal))
            {
                if (l != end)
                {
                    return PemProblem.BadEndLine;
                }

                return Decode(body.ToString(), label);
            }

            // RFC 1421 headers (Proc-Type, DEK-Info of an encrypted key) come before the body.
            if (!l.Contains(':', StringComparison.Ordinal))
            {
                body.Append(l);
            }
        }

        return PemProblem.BadEndLine;
    }

    private static PemProblem Decode(string base64, string label)
    {
        var der = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, der, out var length))
        {
            return PemProblem.BadBase64;
        }

        if (label != "CERTIFICATE")
        {
            return PemProblem.None; // a key's or CRL's DER is not checked here (docs/upstreams.md)
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der.AsSpan(0, length));
            return PemProblem.None;
        }
        catch (CryptographicException)
        {
            return PemProblem.BadAsn1;
        }
    }

    private static string Trim(string line) => line.TrimEnd('\r', ' ', '\t');
}
