namespace NginxLite.Cli.Apps.Stats;

/// <summary>What the stats server reports at one moment: the master (this process) and the workers of the app.</summary>
internal sealed record StatsSnapshot(int Pid, int Uid, int Gid, string Cwd, IReadOnlyList<StatsWorker> Workers)
{
    /// <summary>The public uwsgi sockets (<c>sockets[]</c>: name and protocol).</summary>
    public IReadOnlyList<string> Sockets { get; init; } = [];

    /// <summary>Per entry of <see cref="Sockets"/>: connections waiting in its accept queue and its backlog
    /// (<c>queue</c>, <c>max_queue</c>).</summary>
    public IReadOnlyList<(int Queue, int Backlog)> SocketQueues { get; init; } = [];

    /// <summary>Connections waiting for a worker: the public sockets' and the workers' accept queues (<c>listen_queue</c>).</summary>
    public int ListenQueue { get; init; }
}
