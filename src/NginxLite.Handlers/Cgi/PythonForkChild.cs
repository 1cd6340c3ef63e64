using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Cgi;

/// <summary>A script the Python fork server forked: the fork server is its parent, reaps it and reports the status.</summary>
internal sealed class PythonForkChild(PythonForkServer server, int pid) : IRemoteChild
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pid { get; } = pid;

    public Task<int> Exited => _exited.Task;

    public void Signal(int signal, bool group = false)
    {
        if (!_exited.Task.IsCompleted)
        {
            server.Signal(Pid, signal, group);
        }
    }

    internal void SetExited(int status) => _exited.TrySetResult(status);
}
