namespace NginxLite.Cli.Apps.Stats;

/// <summary>One public uwsgi socket as uWSGI's stats server reports it (<c>sockets[]</c>): its name, the connections
/// waiting in its accept queue (<c>queue</c>) and its backlog (<c>max_queue</c>).</summary>
internal sealed record StatsSocket(string Name, int Queue = 0, int Backlog = 0);
