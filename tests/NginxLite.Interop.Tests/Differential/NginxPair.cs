using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>Two nginx instances with the same config and files: the harness self-check.</summary>
public sealed class NginxPair() : ServerPair(ServerFlavor.Nginx);
