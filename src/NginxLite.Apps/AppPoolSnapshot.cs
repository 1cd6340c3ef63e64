namespace NginxLite.Apps;

/// <summary>One app pool at one moment: its name, configured processes and workers (slot order; a worker still
/// finishing requests after it was replaced is listed too, as <see cref="WorkerState.Stopping"/>).</summary>
public sealed record AppPoolSnapshot(string Name, int Processes, IReadOnlyList<AppWorkerSnapshot> Workers)
{
    /// <summary>Requests waiting in the master for a free worker connection (docs/apps.md, "Choice"): part of uWSGI's
    /// <c>listen_queue</c>, since they would wait in uWSGI's shared socket.</summary>
    public int Queued { get; init; }
}
