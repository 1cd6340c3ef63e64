using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace NginxLite.Handlers.Upstream.Wire;

/// <summary>
/// A <see cref="PipeWriter"/> straight over a connected socket: what is written collects in one pooled buffer and
/// <see cref="FlushAsync"/> sends it with one <c>Socket.SendAsync</c> (a request head with its params, and a small
/// body written before the flush, leave in one send). Replaces NetworkStream + StreamPipeWriter per upstream request.
/// </summary>
internal sealed class SocketPipeWriter(Socket socket) : PipeWriter
{
    private const int StartSize = 4096;

    private byte[]? _buffer;
    private int _written;

    public override void Advance(int bytes) => _written += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => Room(sizeHint).AsMemory(_written);

    public override Span<byte> GetSpan(int sizeHint = 0) => Room(sizeHint).AsSpan(_written);

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_written > 0)
        {
            var count = _written;
            _written = 0;
            // For a stream socket the awaitable send completes only when every byte went out (SocketAsyncContext
            // loops over partial sends).
            await socket.SendAsync(_buffer.AsMemory(0, count), SocketFlags.None, cancellationToken);
        }

        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    public override void CancelPendingFlush()
    {
        // Sends are stopped through the connection's cancellation source (UpstreamConnection.CancelSend).
    }

    public override void Complete(Exception? exception = null)
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private byte[] Room(int sizeHint)
    {
        var need = _written + Math.Max(sizeHint, 1);
        var buffer = _buffer;
        if (buffer is null)
        {
            return _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(need, StartSize));
        }

        if (need > buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, buffer.Length * 2));
            buffer.AsSpan(0, _written).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            _buffer = buffer = bigger;
        }

        return buffer;
    }
}
