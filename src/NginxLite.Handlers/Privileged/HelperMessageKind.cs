namespace NginxLite.Handlers.Privileged;

/// <summary>The first byte of every packet on the helper's socket (one SOCK_SEQPACKET packet is one message).</summary>
internal enum HelperMessageKind : byte
{
    /// <summary>Server → helper: id, <see cref="SpawnRequest"/>; three fds (stdin, stdout, stderr) attached.</summary>
    Spawn = 1,

    /// <summary>Server → helper: id, pid, signal, group flag — only for a child the helper started and has not reaped.</summary>
    Signal = 2,

    /// <summary>Helper → server: id, pid of the started child.</summary>
    Spawned = 101,

    /// <summary>Helper → server: id, the reason a request was refused or failed.</summary>
    Refused = 102,

    /// <summary>Helper → server: id (the signal was sent).</summary>
    Done = 103,

    /// <summary>Helper → server, unprompted: pid and wait status of a child it reaped.</summary>
    Exited = 104,
}
