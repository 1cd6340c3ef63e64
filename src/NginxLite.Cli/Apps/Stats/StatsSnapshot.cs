namespace NginxLite.Cli.Apps.Stats;

/// <summary>What the stats server reports at one moment: the master (this process) and the workers of the app.</summary>
internal sealed record StatsSnapshot(int Pid, int Uid, int Gid, string Cwd, IReadOnlyList<StatsWorker> Workers)
{
    /// <summary>The public uwsgi sockets (<c>sockets[]</c>) with their accept queues.</summary>
    public IReadOnlyList<StatsSocket> Sockets { get; init; } = [];

    /// <summary>Connections waiting for a worker: the public sockets' and the workers' accept queues (<c>listen_queue</c>).</summary>
    public int ListenQueue { get; init; }
}
