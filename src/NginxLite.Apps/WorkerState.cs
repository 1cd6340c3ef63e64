namespace NginxLite.Apps;

/// <summary>What a worker is doing, as the status page shows it (uWSGI's stats server has "idle"/"busy" and
/// "cheap"/"pause"; NginxLite adds the moments around a spawn and a stop).</summary>
public enum WorkerState
{
    /// <summary>Started, not yet ready (has not printed NGINXLITE-READY).</summary>
    Starting,

    /// <summary>Ready, no request in flight.</summary>
    Idle,

    /// <summary>Ready, at least one request in flight.</summary>
    Busy,

    /// <summary>No longer chosen (recycled, replaced by a reload, the pool stops): finishing its requests.</summary>
    Stopping,

    /// <summary>Exited or killed; its slot is being respawned.</summary>
    Dead,
}
