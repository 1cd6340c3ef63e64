namespace NginxLite.Config.Validation.Checks;

/// <summary>What OpenSSL's PEM readers would fail on in a file (<see cref="PemFile"/>), in the order they read.</summary>
internal enum PemProblem
{
    /// <summary>Readable: a block of an accepted label, its base64 and DER sound (or the file cannot be read here).</summary>
    None,

    /// <summary>No <c>-----BEGIN LABEL-----</c> line of an accepted label: PEM routines "no start line".</summary>
    NoStartLine,

    /// <summary>The block's body is not base64: PEM routines "bad base64 decode".</summary>
    BadBase64,

    /// <summary>The file ends, or another line comes, before <c>-----END LABEL-----</c>: PEM routines "bad end line".</summary>
    BadEndLine,

    /// <summary>The decoded body is not what its label says (a certificate, a CRL, a key; <see cref="PemDer"/>): asn1
    /// encoding routines errors, then PEM routines "ASN1 lib".</summary>
    BadAsn1,
}
