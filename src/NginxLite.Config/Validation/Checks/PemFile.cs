namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// Whether a file OpenSSL's PEM readers would find something in: a <c>-----BEGIN LABEL-----</c> line with one of the
/// labels the reader accepts (PEM_read_bio_X509_AUX: CERTIFICATE, TRUSTED CERTIFICATE, X509 CERTIFICATE;
/// PEM_read_bio_PrivateKey: the PRIVATE KEY forms; X509_load_cert_crl_file also X509 CRL). A file with none is what
/// nginx fails on at configuration time ("no start line", "No supported data to decode").
/// </summary>
internal static class PemFile
{
    public static readonly string[] CertificateLabels = ["CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"];

    public static readonly string[] KeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];

    public static readonly string[] TrustedLabels = ["CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", "X509 CRL"];

    /// <summary>True when <paramref name="path"/> has a PEM block with one of <paramref name="labels"/>, or cannot be
    /// read here (that is another check's message).</summary>
    public static bool HasBlock(string path, string[] labels)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }

        foreach (var line in lines)
        {
            var l = line.TrimEnd('\r', ' ', '\t');
            if (l.StartsWith("-----BEGIN ", StringComparison.Ordinal) && l.EndsWith("-----", StringComparison.Ordinal)
                && labels.Contains(l[11..^5], StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
