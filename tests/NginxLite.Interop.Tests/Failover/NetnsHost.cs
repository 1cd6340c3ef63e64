namespace NginxLite.Interop.Tests.Failover;

/// <summary>
/// One test "host": a network namespace joined to the root namespace by a veth pair. <see cref="Address"/> is the
/// namespace end (where its backend listens), <see cref="Gateway"/> the root end; both in a /24 no one else uses.
/// </summary>
internal sealed record NetnsHost(string Namespace, string RootLink, string HostLink, string Address, string Gateway);
