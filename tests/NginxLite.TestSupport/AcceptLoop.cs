using System.Net.Sockets;

namespace NginxLite.TestSupport;

/// <summary>
/// The accept loop of the tests' own upstream servers (TCP and Unix sockets): accept until stopped, hand each connection
/// to its handler without waiting for it. Stopping is the token's cancellation or the listener's Stop/Dispose, so the
/// exceptions those raise in a pending accept end the loop quietly.
/// </summary>
public static class AcceptLoop
{
    public static async Task RunAsync<TConnection>(
        Func<CancellationToken, ValueTask<TConnection>> accept, Action<TConnection> serve, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TConnection connection;
            try
            {
                connection = await accept(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            serve(connection);
        }
    }
}
