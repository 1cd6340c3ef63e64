namespace NginxLite.Cli.Apps.Stats;

/// <summary>What the stats server reports at one moment: the master (this process) and the workers of the app.</summary>
internal sealed record StatsSnapshot(int Pid, int Uid, int Gid, string Cwd, IReadOnlyList<StatsWorker> Workers)
{
    /// <summary>The public uwsgi sockets (<c>sockets[]</c>: name and protocol).</summary>
    public IReadOnlyList<string> Sockets { get; init; } = [];
}
