namespace NginxLite.Protocols.Cgi;

/// <summary>Why a CGI header block was refused; the handler logs <see cref="Exception.Message"/> and answers 502.</summary>
public enum CgiHeaderError
{
    InvalidHeaderLine,
    InvalidStatus,
    InvalidStatusLine,
}

/// <summary>A malformed CGI response header block (nginx: "upstream sent invalid header").</summary>
public sealed class CgiProtocolException(CgiHeaderError reason, string message) : Exception(message)
{
    public CgiHeaderError Reason { get; } = reason;
}
