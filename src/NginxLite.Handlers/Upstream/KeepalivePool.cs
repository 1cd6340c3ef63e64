using System.Net.Sockets;

namespace NginxLite.Handlers.Upstream;

/// <summary>
/// The <c>keepalive N</c> cache of one group (ngx_http_upstream_keepalive_module): up to N idle connections, most
/// recent first; a connection idle longer than keepalive_timeout, or that the upstream closed (readable while idle),
/// is closed instead of reused. Capacity 0 keeps nothing.
/// </summary>
internal sealed class KeepalivePool(int capacity, TimeSpan timeout)
{
    private readonly LinkedList<UpstreamConnection> _idle = new();

    public int Capacity => capacity;

    public int IdleCount
    {
        get
        {
            lock (_idle)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>An idle connection to <paramref name="peer"/>, or null.</summary>
    public UpstreamConnection? Take(Peer peer)
    {
        if (capacity == 0)
        {
            return null;
        }

        var now = DateTime.UtcNow.Ticks;
        while (true)
        {
            UpstreamConnection? found = null;
            lock (_idle)
            {
                for (var node = _idle.First; node is not null; node = node.Next)
                {
                    if (node.Value.Peer == peer)
                    {
                        found = node.Value;
                        _idle.Remove(node);
                        break;
                    }
                }
            }

            if (found is null)
            {
                return null;
            }

            if (now - found.IdleSinceTicks <= timeout.Ticks && IsOpen(found.Socket))
            {
                return found;
            }

            found.Close();
        }
    }

    /// <summary>Keeps <paramref name="connection"/> for reuse; the oldest idle one is closed when the cache is full.</summary>
    public void Put(UpstreamConnection connection)
    {
        if (capacity == 0)
        {
            connection.Close();
            return;
        }

        connection.IdleSinceTicks = DateTime.UtcNow.Ticks;
        UpstreamConnection? evicted = null;
        lock (_idle)
        {
            _idle.AddFirst(connection);
            if (_idle.Count > capacity)
            {
                evicted = _idle.Last!.Value;
                _idle.RemoveLast();
            }
        }

        evicted?.Close();
    }

    // An idle keepalive connection must have nothing to read: readable means closed (or stray bytes: unusable too).
    private static bool IsOpen(Socket socket)
    {
        try
        {
            return !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
