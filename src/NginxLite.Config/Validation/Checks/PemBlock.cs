namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// One <c>-----BEGIN LABEL-----</c> … <c>-----END LABEL-----</c> block as OpenSSL's PEM_read_bio_ex reads it, whatever
/// its label: every reader (PEM_read_bio_X509, the key decoder, PEM_X509_INFO_read_bio) reads each block it passes, so
/// a block of any label whose base64 or end line is damaged stops it. <see cref="Der"/> is empty unless
/// <see cref="Problem"/> is <see cref="PemProblem.None"/>; <see cref="HasHeaders"/> marks RFC 1421 headers
/// (<c>Proc-Type: 4,ENCRYPTED</c>), whose body cannot be judged without the password.
/// </summary>
internal sealed record PemBlock(string Label, PemProblem Problem, byte[] Der, bool HasHeaders)
{
    /// <summary>The blocks of a file in order; reading stops after the first one with a problem, as PEM_read_bio_X509
    /// and PEM_X509_INFO_read_bio do, unless <paramref name="stopAtProblem"/> is false (the key decoder goes on to the
    /// next block).</summary>
    public static IEnumerable<PemBlock> Read(string[] lines, bool stopAtProblem = true)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var l = Trim(lines[i]);
            if (!l.StartsWith("-----BEGIN ", StringComparison.Ordinal) || !l.EndsWith("-----", StringComparison.Ordinal) || l.Length < 16)
            {
                continue;
            }

            var block = Body(lines, ref i, l[11..^5]);
            yield return block;
            if (block.Problem != PemProblem.None && stopAtProblem)
            {
                yield break;
            }
        }
    }

    private static PemBlock Body(string[] lines, ref int i, string label)
    {
        var body = new System.Text.StringBuilder();
        var headers = false;
        var stopped = false;
        var end = "-----END " + label + "-----";
        for (i++; i < lines.Length; i++)
        {
            var l = Trim(lines[i]);

            // pem_lib.c get_header_and_data: only a "-----END " line ends the body, and it must name the label.
            if (l.StartsWith("-----END ", StringComparison.Ordinal))
            {
                return l == end ? Decode(label, body.ToString(), headers) : new(label, PemProblem.BadEndLine, [], headers);
            }

            // RFC 1421 headers (Proc-Type, DEK-Info of an encrypted key) come before the body.
            if (l.Contains(':', StringComparison.Ordinal))
            {
                headers = true;
            }
            else if (!stopped)
            {
                // EVP_DecodeUpdate stops at '-' (its end-of-data mark): a BEGIN line inside a body (a block cut
                // before its end line, then another block) ends the data there, and the rest up to the end line is
                // read and ignored.
                var dash = l.IndexOf('-', StringComparison.Ordinal);
                body.Append(dash < 0 ? l : l[..dash]);
                stopped = dash >= 0;
            }
        }

        return new(label, PemProblem.BadEndLine, [], headers);
    }

    private static PemBlock Decode(string label, string base64, bool headers)
    {
        var der = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, der, out var length)
            ? new(label, PemProblem.None, der[..length], headers)
            : new(label, PemProblem.BadBase64, [], headers);
    }

    private static string Trim(string line) => line.TrimEnd('\r', ' ', '\t');
}
