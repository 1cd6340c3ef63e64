namespace NginxLite.Interop.Tests.Servers;

/// <summary>A server did not come up: its message carries the command, exit status, stderr and error log.</summary>
public sealed class ServerStartException(string message) : Exception(message);
