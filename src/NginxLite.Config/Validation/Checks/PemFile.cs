namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// What OpenSSL's readers would make of a certificate, key or trusted-certificate file, without OpenSSL: the blocks
/// as PEM_read_bio_ex reads them (<see cref="PemBlock"/>), then the DER of those the reader decodes
/// (<see cref="PemDer"/>). nginx fails on each of these problems at configuration time (-t, start, reload).
/// A file that cannot be read here gives <see cref="PemProblem.None"/>: that is another check's message.
/// </summary>
internal static class PemFile
{
    /// <summary>PEM_read_bio_X509_AUX's labels (pem_lib.c check_pem: the X509 ones and TRUSTED CERTIFICATE).</summary>
    public static readonly string[] CertificateLabels = ["CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"];

    /// <summary>PEM_read_bio_X509's labels: ngx_ssl_load_certificate reads the rest of the chain with it.</summary>
    public static readonly string[] ChainLabels = ["CERTIFICATE", "X509 CERTIFICATE"];

    public static readonly string[] KeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];

    /// <summary>The first certificate, as ngx_ssl_load_certificate reads it with PEM_read_bio_X509_AUX: blocks of
    /// other labels before it are read (a damaged one fails) and skipped undecoded.</summary>
    public static PemProblem Certificate(string path)
    {
        if (Lines(path) is not { } lines)
        {
            return PemProblem.None;
        }

        foreach (var block in PemBlock.Read(lines))
        {
            if (block.Problem != PemProblem.None || CertificateLabels.Contains(block.Label, StringComparer.Ordinal))
            {
                return block.Problem != PemProblem.None ? block.Problem : CertificateDer(block);
            }
        }

        return PemProblem.NoStartLine;
    }

    /// <summary>The rest of the chain after the first certificate: ngx_ssl_load_certificate calls PEM_read_bio_X509
    /// until PEM_R_NO_START_LINE, so every further block is read and each CERTIFICATE / X509 CERTIFICATE one decoded
    /// (a key or CRL in the same file is skipped undecoded; TRUSTED CERTIFICATE is not one PEM_read_bio_X509 takes).</summary>
    public static PemProblem Chain(string path)
    {
        var first = true;
        foreach (var block in PemBlock.Read(Lines(path) ?? []))
        {
            if (first)
            {
                first = !CertificateLabels.Contains(block.Label, StringComparer.Ordinal);
                continue; // Certificate() judges the blocks up to the first certificate
            }

            if (block.Problem != PemProblem.None)
            {
                return block.Problem;
            }

            if (ChainLabels.Contains(block.Label, StringComparer.Ordinal) && !PemDer.IsCertificate(block.Der))
            {
                return PemProblem.BadAsn1;
            }
        }

        return PemProblem.None;
    }

    /// <summary>Whether PEM_read_bio_X509 finds a certificate (SSL_load_client_CA_file's loop); true when the file
    /// cannot be read here.</summary>
    public static bool HasChainCertificate(string path) =>
        Lines(path) is not { } lines || PemBlock.Read(lines).Any(b => b.Problem == PemProblem.None && ChainLabels.Contains(b.Label, StringComparer.Ordinal));

    /// <summary>PEM_read_bio_PrivateKey (OpenSSL 3's decoder): it tries the key blocks in turn and takes the first that
    /// decodes, skipping damaged ones, so the file fails only when none does; <see cref="PemProblem.NoStartLine"/>
    /// then (nginx prints the same DECODER error whether there was no key block or only damaged ones).</summary>
    public static PemProblem Key(string path)
    {
        if (Lines(path) is not { } lines)
        {
            return PemProblem.None;
        }

        foreach (var block in PemBlock.Read(lines, stopAtProblem: false))
        {
            if (block.Problem == PemProblem.None && KeyLabels.Contains(block.Label, StringComparer.Ordinal)
                && (block.HasHeaders || PemDer.IsKey(block.Label, block.Der)))
            {
                return PemProblem.None;
            }
        }

        return PemProblem.NoStartLine;
    }

    /// <summary>SSL_CTX_use_PrivateKey's check of the key nginx loaded (the first key block that decodes) against the
    /// first certificate of <paramref name="certificatePath"/>: false on a mismatch of the same key type, true
    /// otherwise (also when either cannot be read or compared here).</summary>
    public static bool KeyMatchesCertificate(string certificatePath, string keyPath)
    {
        if (Lines(certificatePath) is not { } certificateLines || Lines(keyPath) is not { } keyLines
            || PemBlock.Read(certificateLines).FirstOrDefault(b => CertificateLabels.Contains(b.Label, StringComparer.Ordinal)) is not { Problem: PemProblem.None } certificate)
        {
            return true;
        }

        foreach (var block in PemBlock.Read(keyLines, stopAtProblem: false))
        {
            if (block.Problem != PemProblem.None || !KeyLabels.Contains(block.Label, StringComparer.Ordinal) || block.HasHeaders)
            {
                continue;
            }

            using var key = PemDer.Import(block.Label, block.Der, out var sound);
            if (sound)
            {
                return key is null || PemDer.Matches(certificate.Der, key) != false;
            }
        }

        return true;
    }

    /// <summary>X509_load_cert_crl_file (SSL_CTX_load_verify_locations, X509_LOOKUP_load_file): PEM_X509_INFO_read_bio
    /// reads every block and decodes certificates, CRLs and unencrypted keys; <see cref="PemProblem.NoStartLine"/> when
    /// there is no certificate or CRL ("no certificate or crl found").</summary>
    public static PemProblem Trusted(string path)
    {
        if (Lines(path) is not { } lines)
        {
            return PemProblem.None;
        }

        var found = false;
        foreach (var block in PemBlock.Read(lines))
        {
            if (block.Problem != PemProblem.None)
            {
                return block.Problem;
            }

            var sound = block.Label switch
            {
                "X509 CRL" => PemDer.IsCrl(block.Der),
                _ when CertificateLabels.Contains(block.Label, StringComparer.Ordinal) => CertificateDer(block) == PemProblem.None,
                _ when KeyLabels.Contains(block.Label, StringComparer.Ordinal) => block.HasHeaders || PemDer.IsKey(block.Label, block.Der),
                _ => true,
            };
            if (!sound)
            {
                return PemProblem.BadAsn1;
            }

            found |= block.Label == "X509 CRL" || CertificateLabels.Contains(block.Label, StringComparer.Ordinal);
        }

        return found ? PemProblem.None : PemProblem.NoStartLine;
    }

    private static PemProblem CertificateDer(PemBlock block) =>
        PemDer.IsCertificate(block.Der, auxiliary: block.Label == "TRUSTED CERTIFICATE") ? PemProblem.None : PemProblem.BadAsn1;

    private static string[]? Lines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
