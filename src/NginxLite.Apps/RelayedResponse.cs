using NginxLite.Handlers.Apps;

namespace NginxLite.Apps;

/// <summary>What <see cref="AppSocketRelay"/> copied of one worker's response: its bytes, the status of its first line
/// (0: none) and how the worker's side ended (a lost connection holds the worker back: AppPool.HoldBack).</summary>
internal readonly record struct RelayedResponse(long Bytes, int Status, AppLeaseFailure Failure);
