namespace NginxLite.Handlers.Privileged;

/// <summary>The first byte of every packet on the helper's socket (one SOCK_SEQPACKET packet is one message).</summary>
internal enum HelperMessageKind : byte
{
    /// <summary>Server → helper: id, <see cref="SpawnRequest"/>; three fds (stdin, stdout, stderr) attached.</summary>
    Spawn = 1,

    /// <summary>Server → helper: id, pid, signal, group flag — only for a child the helper started and has not reaped.</summary>
    Signal = 2,

    /// <summary>Server → helper: id, a <c>listen</c> address in nginx's text form (<c>127.0.0.1:80</c>,
    /// <c>unix:/run/x.sock</c>). Answer: <see cref="Fd"/> with the bound, listening socket.</summary>
    Bind = 3,

    /// <summary>Server → helper: id, a log file path. Answer: <see cref="Fd"/> with it open for appending.</summary>
    OpenLog = 4,

    /// <summary>Server → helper: id, uid, gid, mode; the fd of a directory the server owns attached. The helper gives it
    /// to that account (an app pool's run directory). Answer: <see cref="Done"/>.</summary>
    GiveDirectory = 5,

    /// <summary>Helper → server: id, pid of the started child.</summary>
    Spawned = 101,

    /// <summary>Helper → server: id, the reason a request was refused or failed.</summary>
    Refused = 102,

    /// <summary>Helper → server: id (the signal was sent).</summary>
    Done = 103,

    /// <summary>Helper → server: id; the one fd asked for attached (a listening socket, a log file).</summary>
    Fd = 105,

    /// <summary>Helper → server, unprompted: pid and wait status of a child it reaped.</summary>
    Exited = 104,
}
