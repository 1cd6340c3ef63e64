using NginxLite.Routing;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>An upstream failure: the error-log line in nginx's words (with its "while …" stage) and the status nginx
/// answers with when no byte has been sent yet (502, or 504 for a timeout).</summary>
internal sealed class UpstreamException(int status, ErrorLevel level, string message) : Exception(message)
{
    public int Status { get; } = status;

    public ErrorLevel Level { get; } = level;
}
