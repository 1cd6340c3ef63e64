using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Privileged;

/// <summary>A process the root helper started for this server: the helper is its parent, so it reaps it (and reports
/// the wait status, <see cref="Exited"/>) and signals it on the server's behalf.</summary>
public sealed class HelperChild : IRemoteChild
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PrivilegedHelper _helper;

    internal HelperChild(PrivilegedHelper helper, int pid)
    {
        _helper = helper;
        Pid = pid;
    }

    public int Pid { get; }

    /// <summary>Completes with the waitpid(2) status once the helper reaped the child (-1 if the helper went away).</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>kill(2) through the helper: the child (or, with <paramref name="group"/>, its process group).
    /// Fire and forget: a child that already exited is simply not signalled.</summary>
    public void Signal(int signal, bool group = false)
    {
        if (!_exited.Task.IsCompleted)
        {
            _ = _helper.SignalAsync(Pid, signal, group);
        }
    }

    internal void SetExited(int status) => _exited.TrySetResult(status);
}
