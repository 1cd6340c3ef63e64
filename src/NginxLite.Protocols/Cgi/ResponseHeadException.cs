namespace NginxLite.Protocols.Cgi;

/// <summary>The upstream's response head is malformed; the message is nginx's wording (without "while …").</summary>
public sealed class ResponseHeadException(string message) : Exception(message);
