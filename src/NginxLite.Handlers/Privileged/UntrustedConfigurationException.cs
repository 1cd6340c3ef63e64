namespace NginxLite.Handlers.Privileged;

/// <summary>The configuration the root helper would read again is writable by someone other than root
/// (<see cref="ConfigFileTrust"/>): nothing it names is granted.</summary>
public sealed class UntrustedConfigurationException(string message) : Exception(message);
