using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace NginxLite.Handlers.Upstream.Wire;

/// <summary>
/// A <see cref="PipeReader"/> straight over a connected socket: <c>Socket.ReceiveAsync</c> into one pooled buffer,
/// handed out as a single-segment sequence. It replaces NetworkStream + StreamPipeReader per upstream request (two
/// objects, a segment pool and a copy each; docs/benchmarks/scheduling.md). The buffer compacts on the next read and
/// grows only while an item (a FastCGI record, a response head) does not fit.
/// </summary>
internal sealed class SocketPipeReader(Socket socket, CancellationTokenSource cancel) : PipeReader
{
    private const int StartSize = 16384;
    private const int LargeSize = 65536;

    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(StartSize);
    private int _start;
    private int _end;
    private bool _examinedAll = true;
    private bool _eof;
    private bool _fullReads;
    private volatile bool _cancelRequested;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_cancelRequested || !_examinedAll || _eof)
        {
            TryRead(out var ready);
            return ready;
        }

        var buffer = MakeRoom();
        int n;
        try
        {
            n = await socket.ReceiveAsync(buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        }
        catch (OperationCanceledException) when (_cancelRequested)
        {
            _cancelRequested = false;
            return new ReadResult(Current, isCanceled: true, isCompleted: false);
        }

        _fullReads = n == buffer.Length - _end && buffer.Length < LargeSize;
        _eof = n == 0;
        _end += n;
        _examinedAll = false;
        return new ReadResult(Current, isCanceled: false, isCompleted: _eof);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_cancelRequested)
        {
            _cancelRequested = false;
            result = new ReadResult(Current, isCanceled: true, isCompleted: false);
            return true;
        }

        // As the stream and pipe readers do, unconsumed bytes are returned even when they were examined (a caller
        // looks for bytes left after a response).
        if (!_examinedAll || _eof || _end > _start)
        {
            _examinedAll = false;
            result = new ReadResult(Current, isCanceled: false, isCompleted: _eof);
            return true;
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // Positions of an array-backed sequence carry the array index (the top bit is a flag of the end position).
        _start = consumed.GetInteger() & int.MaxValue;
        _examinedAll = (examined.GetInteger() & int.MaxValue) >= _end;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    public override void CancelPendingRead()
    {
        _cancelRequested = true;
        try
        {
            cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The exchange is over.
        }
    }

    public override void Complete(Exception? exception = null)
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ReadOnlySequence<byte> Current => _buffer is { } b ? new(b, _start, _end - _start) : ReadOnlySequence<byte>.Empty;

    /// <summary>Free space at the end of the buffer: unconsumed bytes move to the front, and a full buffer doubles.
    /// Reads that fill a small buffer move to a 64 KiB one (a large body then takes fewer receives).</summary>
    private byte[] MakeRoom()
    {
        var buffer = _buffer ?? throw new InvalidOperationException("the reader is completed");
        var unread = _end - _start;
        var want = unread == buffer.Length || (_fullReads && unread == 0) ? Math.Max(buffer.Length * 2, LargeSize) : buffer.Length;
        if (want > buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(want);
            buffer.AsSpan(_start, unread).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            _buffer = buffer = bigger;
            _start = 0;
            _end = unread;
        }
        else if (_start > 0 && _end == buffer.Length)
        {
            buffer.AsSpan(_start, unread).CopyTo(buffer);
            _start = 0;
            _end = unread;
        }

        return buffer;
    }
}
