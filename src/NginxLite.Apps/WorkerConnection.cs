using System.Net.Sockets;

namespace NginxLite.Apps;

/// <summary>
/// One of a worker's connection slots: a worker with <c>threads N</c> serves N connections at once, so the pool holds
/// at most N per worker and a request takes a free slot (docs/apps.md, "Choice"). The slot's socket stays open between
/// requests when the last response was read to its end frame; null: the next request connects anew.
/// </summary>
internal sealed class WorkerConnection(AppWorker worker)
{
    public AppWorker Worker { get; } = worker;

    public Socket? Socket { get; set; }

    public void Close()
    {
        Socket?.Dispose();
        Socket = null;
    }
}
