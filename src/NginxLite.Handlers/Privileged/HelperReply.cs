namespace NginxLite.Handlers.Privileged;

/// <summary>The helper's answer to one request: its kind, the child it started (Spawned), the reason (Refused) or the
/// fd it passed (Fd; -1 otherwise).</summary>
internal readonly record struct HelperReply(HelperMessageKind Kind, HelperChild? Child, string Reason, int Fd = -1);
