namespace NginxLite.Handlers.Posix;

/// <summary>A script whose parent is not this server (the root helper, or the Python fork server): that parent reaps
/// it and reports the wait status, and signals it on the server's behalf.</summary>
public interface IRemoteChild
{
    int Pid { get; }

    /// <summary>Completes with the waitpid(2) status once the parent reaped the child (-1 if the parent went away).</summary>
    Task<int> Exited { get; }

    /// <summary>kill(2) of the child (or, with <paramref name="group"/>, its process group); fire and forget.</summary>
    void Signal(int signal, bool group = false);
}
