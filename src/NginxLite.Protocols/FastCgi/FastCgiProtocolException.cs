namespace NginxLite.Protocols.FastCgi;

/// <summary>The upstream broke the FastCGI framing; the message is nginx's wording for the error log.</summary>
public sealed class FastCgiProtocolException(string message) : Exception(message);
