using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>nginx (reference) and NginxLite (candidate) with the same config and files.</summary>
public sealed class NginxLitePair() : ServerPair(ServerFlavor.NginxLite);
