using System.Net.Sockets;

namespace NginxLite.Handlers.Posix;

/// <summary>
/// A read-only stream over a socket from socketpair(2). <see cref="NetworkStream"/> refuses it (a Socket made from a
/// handle does not know it is connected), so PipeReader gets this thin adapter over <see cref="Socket.ReceiveAsync(Memory{byte}, SocketFlags, CancellationToken)"/>.
/// </summary>
internal sealed class SocketReadStream(Socket socket) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A Unix socket whose peer closed with unread data in its queue (a script that exits without reading its
            // stdin) reports ECONNRESET after the last byte: for stdout that is simply the end, as a pipe's EOF.
            return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => socket.Receive(buffer, offset, count, SocketFlags.None);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
