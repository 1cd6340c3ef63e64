using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using NginxLite.Server.Http;

namespace NginxLite.Server.Hosting;

/// <summary>
/// Connection middleware in front of Kestrel's HTTP/1.1 parser: every request head goes through nginx's parser
/// (<see cref="RequestHead"/>) first; bodies pass through untouched (their framing is followed to find the next head).
/// For an HTTP/0.9 request the response's status line and headers are dropped, as nginx sends none.
/// </summary>
internal sealed class RequestHeadFilter(Func<ConnectionContext, RequestHead> options, Func<TimeSpan> socketKeepalive, Func<TimeSpan> headerTimeout)
{
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var transport = connection.Transport;
        var info = new ConnectionInfo();
        connection.Items[typeof(ConnectionInfo)] = info;
        var output = new Http09Writer(transport.Output);
        var input = new FilterReader(options(connection), transport.Input, output, info, socketKeepalive(), headerTimeout());
        connection.Transport = new DuplexPipe(input, output);
        try
        {
            await next(connection);
        }
        finally
        {
            await input.StopPumpAsync();
            if (output.IsStripping)
            {
                await output.CompleteAsync();
                await output.Stripped;
            }

            connection.Transport = transport;
        }
    }

    /// <summary>
    /// Kestrel's input. While every head is one Kestrel takes as it came (the common case), Kestrel reads the
    /// transport's own buffers, limited to the bytes already checked (whole heads and the body bytes after them): no
    /// copy, no allocation. The first head that must be rewritten, rejected or answered as HTTP/0.9 switches the
    /// connection to a pipe fed by <see cref="PumpAsync"/>, which copies (and rewrites) from then on.
    /// </summary>
    private sealed class FilterReader(RequestHead head, PipeReader inner, Http09Writer output, ConnectionInfo info, TimeSpan socketKeepalive, TimeSpan headerTimeout)
        : PipeReader
    {
        // client_header_timeout: from the connection's start for its first head, from the first held-back byte for
        // later ones. Kestrel's own RequestHeadersTimeout never starts while this filter holds a partial head back
        // (Kestrel has seen no byte of it), so a head trickled one byte a second was bounded only by keepalive_timeout.
        private long _headSince = System.Diagnostics.Stopwatch.GetTimestamp();

        private readonly BodyState _state = new();
        private Pipe? _pipe;
        private Task _pump = Task.CompletedTask;
        private ReadOnlySequence<byte> _buffer;
        private long _checked;
        private long _given;
        private long _heldBack;
        private bool _timedOut;

        public async Task StopPumpAsync()
        {
            if (_pipe is not null)
            {
                inner.CancelPendingRead();
                await _pump;
            }
        }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (_pipe is not null)
            {
                return _pipe.Reader.ReadAsync(cancellationToken);
            }

            if (_timedOut)
            {
                return new ValueTask<ReadResult>(new ReadResult(default, false, true));
            }

            var pending = inner.ReadAsync(cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                // Checked here, once: the slow path must not test IsCompletedSuccessfully again, since a read still
                // pending now may complete before it runs (that race handed Kestrel a stale, unchecked result and
                // ended the connection with "No reading operation to complete": wrk's rare read error).
                return Check(pending.Result, out var ready) == Checked.Ready
                    ? new ValueTask<ReadResult>(ready)
                    : ReadSlowAsync(pending, cancellationToken, alreadyChecked: true);
            }

            if (IdleBetweenRequests && info.KeepaliveTimeout < socketKeepalive)
            {
                return ReadIdleAsync(pending, info.KeepaliveTimeout, cancellationToken);
            }

            return ReadSlowAsync(pending, cancellationToken, alreadyChecked: false);
        }

        /// <summary>Waiting for the next request of a kept-alive connection: no head begun, no body under way.</summary>
        private bool IdleBetweenRequests =>
            info.Requests > 0 && _heldBack == 0 && _state.Framing == BodyFraming.None && !_state.Passthrough;

        /// <summary>keepalive_timeout of the last request's location, when shorter than Kestrel's socket-wide one: the
        /// connection ends quietly (input completed at a request boundary) if no byte comes in time.</summary>
        private async ValueTask<ReadResult> ReadIdleAsync(ValueTask<ReadResult> pending, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var read = pending.AsTask();
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(timeout, delay.Token);
            if (await Task.WhenAny(read, timer) != read)
            {
                inner.CancelPendingRead();
                var result = await read;
                if (result.IsCanceled || result.Buffer.IsEmpty)
                {
                    inner.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                    _timedOut = true;
                    return new ReadResult(default, false, true);
                }

                // bytes arrived just as the timer fired: go on with them
                return await ReadSlowAsync(new ValueTask<ReadResult>(result), cancellationToken, alreadyChecked: false);
            }

            delay.Cancel();
            return await ReadSlowAsync(new ValueTask<ReadResult>(read.Result), cancellationToken, alreadyChecked: false);
        }

        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ReadResult> ReadSlowAsync(ValueTask<ReadResult> pending, CancellationToken cancellationToken, bool alreadyChecked)
        {
            var first = alreadyChecked;
            while (true)
            {
                Checked outcome;
                ReadResult ready;
                if (first)
                {
                    // ReadAsync already checked this result (NeedMore or Switch)
                    first = false;
                    outcome = _last;
                    ready = default;
                }
                else
                {
                    outcome = Check(await pending, out ready);
                }

                switch (outcome)
                {
                    case Checked.Ready:
                        return ready;
                    case Checked.Switch:
                        return await _pipe!.Reader.ReadAsync(cancellationToken);
                }

                pending = inner.ReadAsync(cancellationToken);
                if (!pending.IsCompleted && _state.Framing == BodyFraming.None && !_state.Passthrough && (_heldBack > 0 || info.Requests == 0))
                {
                    if (_headSince == 0)
                    {
                        _headSince = System.Diagnostics.Stopwatch.GetTimestamp();
                    }

                    var left = headerTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(_headSince);
                    if (await ReadWithin(pending, left, cancellationToken) is not { } arrived)
                    {
                        // ngx_http_read_request_header: "client timed out", the connection is closed without a response
                        _timedOut = true;
                        return new ReadResult(default, false, true);
                    }

                    pending = new ValueTask<ReadResult>(arrived);
                }
            }
        }

        /// <summary>The result of <paramref name="pending"/> if it comes within <paramref name="left"/>; else the read
        /// is cancelled and released, and null (the connection is about to end: bytes racing the timer do not matter).</summary>
        private async ValueTask<ReadResult?> ReadWithin(ValueTask<ReadResult> pending, TimeSpan left, CancellationToken cancellationToken)
        {
            var read = pending.AsTask();
            if (left > TimeSpan.Zero)
            {
                using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                if (await Task.WhenAny(read, Task.Delay(left, delay.Token)) == read)
                {
                    delay.Cancel();
                    return await read;
                }
            }

            inner.CancelPendingRead();
            var result = await read;
            inner.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            return null;
        }

        private Checked _last;

        private enum Checked { Ready, NeedMore, Switch }

        /// <summary>Checks the bytes of <paramref name="result"/> not checked yet; Ready with the checked part, or
        /// NeedMore (the inner read is released), or Switch (the pump now feeds <see cref="_pipe"/>).</summary>
        private Checked Check(ReadResult result, out ReadResult ready)
        {
            var buffer = result.Buffer;
            var rest = buffer.Slice(_checked);
            ready = default;
            while (!result.IsCanceled && rest.Length > 0)
            {
                if (_state.Framing == BodyFraming.None && !_state.Passthrough)
                {
                    var span = rest.IsSingleSegment ? rest.FirstSpan : rest.Slice(0, Math.Min(rest.Length, head.MaxHeadLimit + 1)).ToArray();
                    var parsed = head.Parse(span, result.IsCompleted);
                    if (parsed == HeadParse.NeedMore)
                    {
                        break;
                    }

                    if (parsed == HeadParse.Reject || head.Forward is not null || head.Http09)
                    {
                        // Kestrel has consumed everything it was given before this read: hand the connection to the
                        // pump, which copies the checked bytes first, then parses this head again.
                        inner.AdvanceTo(buffer.Start);
                        _pipe = new Pipe(new PipeOptions(useSynchronizationContext: false));
                        _pump = PumpAsync(head, inner, _pipe.Writer, output, _state, _checked, info);
                        return _last = Checked.Switch;
                    }

                    _checked += head.Consumed;
                    _headSince = 0;
                    rest = rest.Slice(head.Consumed);
                    info.HeadChecked(head.Consumed - head.Leading);
                    _state.Start(head.Body, head.ContentLength, head.Upgrade);
                    continue;
                }

                var take = _state.Passthrough ? rest.Length : _state.Scan(rest);
                _checked += take;
                rest = rest.Slice(take);
            }

            _heldBack = buffer.Length - _checked;
            if (_checked == 0 && !result.IsCompleted && !result.IsCanceled)
            {
                inner.AdvanceTo(buffer.Start, buffer.End);
                return _last = Checked.NeedMore;
            }

            _buffer = buffer;
            _given = _checked;
            ready = new ReadResult(buffer.Slice(0, _checked), result.IsCanceled, result.IsCompleted);
            return _last = Checked.Ready;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (_pipe is not null)
            {
                return _pipe.Reader.TryRead(out result);
            }

            if (inner.TryRead(out var raw))
            {
                switch (Check(raw, out result))
                {
                    case Checked.Ready:
                        return true;
                    case Checked.Switch:
                        return _pipe!.Reader.TryRead(out result);
                }
            }

            result = default;
            return false;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            if (_pipe is not null)
            {
                _pipe.Reader.AdvanceTo(consumed, examined);
                return;
            }

            if (_timedOut)
            {
                return;
            }

            var start = _buffer.GetOffset(_buffer.Start);
            _checked -= _buffer.GetOffset(consumed) - start;
            // Everything given examined: the bytes held back (an incomplete head) were examined too, so the next read
            // waits for more input.
            inner.AdvanceTo(consumed, _buffer.GetOffset(examined) - start >= _given ? _buffer.End : examined);
            _buffer = default;
        }

        public override void CancelPendingRead()
        {
            if (_pipe is not null)
            {
                _pipe.Reader.CancelPendingRead();
            }
            else
            {
                inner.CancelPendingRead();
            }
        }

        public override void Complete(Exception? exception = null)
        {
            if (_pipe is not null)
            {
                _pipe.Reader.Complete(exception);
            }
            else
            {
                inner.Complete(exception);
            }
        }
    }

    private static async Task PumpAsync(RequestHead head, PipeReader input, PipeWriter writer, Http09Writer output, BodyState state, long raw,
        ConnectionInfo info)
    {
        var stop = false;
        try
        {
            while (!stop)
            {
                var result = await input.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                if (raw > 0)
                {
                    // bytes already checked while Kestrel read the transport directly
                    var n = Math.Min(raw, buffer.Length);
                    foreach (var segment in buffer.Slice(0, n))
                    {
                        writer.Write(segment.Span);
                    }

                    raw -= n;
                    buffer = buffer.Slice(n);
                }

                while (!stop && buffer.Length > 0)
                {
                    if (state.Framing == BodyFraming.None && !state.Passthrough)
                    {
                        var span = buffer.IsSingleSegment ? buffer.FirstSpan : buffer.Slice(0, Math.Min(buffer.Length, head.MaxHeadLimit + 1)).ToArray();
                        var parsed = head.Parse(span, result.IsCompleted);
                        if (parsed == HeadParse.NeedMore)
                        {
                            break;
                        }

                        if (parsed == HeadParse.Reject)
                        {
                            info.HeadChecked((int)Math.Min(buffer.Length, head.HeadLimit));
                            writer.Write(head.Forward);
                            stop = true;
                            buffer = buffer.Slice(buffer.End);
                            break;
                        }

                        info.HeadChecked(head.Consumed - head.Leading);
                        if (head.Http09)
                        {
                            output.StripHead();
                        }

                        if (head.Forward is { } rewritten)
                        {
                            writer.Write(rewritten);
                        }
                        else
                        {
                            foreach (var segment in buffer.Slice(0, head.Consumed))
                            {
                                writer.Write(segment.Span);
                            }
                        }

                        buffer = buffer.Slice(head.Consumed);
                        if (head.Http09)
                        {
                            stop = true;
                            break;
                        }

                        state.Start(head.Body, head.ContentLength, head.Upgrade);
                        continue;
                    }

                    // body bytes (or everything after a body we cannot follow)
                    var take = state.Passthrough ? buffer.Length : state.Scan(buffer);
                    foreach (var segment in buffer.Slice(0, take))
                    {
                        writer.Write(segment.Span);
                    }

                    buffer = buffer.Slice(take);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                var flush = await writer.FlushAsync();
                if (flush.IsCompleted || result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            await writer.CompleteAsync();
        }
    }

    /// <summary>Follows a request body: Content-Length bytes, or chunks up to the end of the trailer.</summary>
    private sealed class BodyState
    {
        private enum Chunk { Size, SizeRest, Data, DataEnd, Trailer }

        private long _remaining;
        private Chunk _chunk;
        private long _size;
        private bool _sizeDigits;
        private bool _lineEmpty;

        public BodyFraming Framing { get; private set; }

        /// <summary>A malformed chunked body: Kestrel rejects it; everything after is passed through unparsed.</summary>
        public bool Passthrough { get; private set; }

        public void Start(BodyFraming framing, long length, bool upgrade = false)
        {
            if (upgrade)
            {
                // After an Upgrade request the connection may carry another protocol (proxy_pass of a WebSocket).
                Passthrough = true;
            }

            Framing = framing;
            _remaining = length;
            _chunk = Chunk.Size;
            _size = 0;
            _sizeDigits = false;
        }

        /// <summary>How many bytes of <paramref name="buffer"/> belong to the body.</summary>
        public long Scan(ReadOnlySequence<byte> buffer)
        {
            if (Framing == BodyFraming.Length)
            {
                var n = Math.Min(_remaining, buffer.Length);
                _remaining -= n;
                if (_remaining == 0)
                {
                    Framing = BodyFraming.None;
                }

                return n;
            }

            long taken = 0;
            foreach (var segment in buffer)
            {
                var span = segment.Span;
                for (var i = 0; i < span.Length; i++)
                {
                    if (_chunk == Chunk.Data)
                    {
                        var n = (int)Math.Min(_remaining, span.Length - i);
                        _remaining -= n;
                        i += n - 1;
                        if (_remaining == 0)
                        {
                            _chunk = Chunk.DataEnd;
                        }

                        continue;
                    }

                    var c = span[i];
                    switch (_chunk)
                    {
                        case Chunk.Size:
                            if (char.IsAsciiHexDigit((char)c) && _size < (1L << 56))
                            {
                                _size = (_size << 4) | (long)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
                                _sizeDigits = true;
                            }
                            else if (c == '\n' || (_sizeDigits && (c is (byte)';' or (byte)'\r' or (byte)' ' or (byte)'\t')))
                            {
                                _chunk = Chunk.SizeRest;
                                i--;
                            }
                            else
                            {
                                Passthrough = true;
                                return buffer.Length;
                            }

                            break;
                        case Chunk.SizeRest:
                            if (c == '\n')
                            {
                                if (!_sizeDigits)
                                {
                                    Passthrough = true;
                                    return buffer.Length;
                                }

                                _remaining = _size;
                                _chunk = _size == 0 ? Chunk.Trailer : Chunk.Data;
                                _lineEmpty = true;
                                _size = 0;
                                _sizeDigits = false;
                            }

                            break;
                        case Chunk.DataEnd:
                            if (c == '\n')
                            {
                                _chunk = Chunk.Size;
                            }

                            break;
                        case Chunk.Trailer:
                            if (c == '\n')
                            {
                                if (_lineEmpty)
                                {
                                    Framing = BodyFraming.None;
                                    return taken + i + 1;
                                }

                                _lineEmpty = true;
                            }
                            else if (c != '\r')
                            {
                                _lineEmpty = false;
                            }

                            break;
                    }
                }

                taken += span.Length;
            }

            return taken;
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>The transport's writer; after <see cref="StripHead"/> (called before Kestrel sees the HTTP/0.9 request)
    /// the response goes through a pipe that drops everything up to the end of the response head.</summary>
    private sealed class Http09Writer(PipeWriter transport) : PipeWriter
    {
        private readonly PipeWriter _inner = transport;
        private PipeWriter _target = transport;

        public Task Stripped { get; private set; } = Task.CompletedTask;

        public bool IsStripping => _target != _inner;

        public void StripHead()
        {
            var pipe = new Pipe(new PipeOptions(useSynchronizationContext: false));
            _target = pipe.Writer;
            Stripped = StripAsync(pipe.Reader);
        }

        private async Task StripAsync(PipeReader reader)
        {
            var matched = 0;
            var headDone = false;
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync();
                    foreach (var segment in result.Buffer)
                    {
                        var span = segment.Span;
                        var i = 0;
                        for (; !headDone && i < span.Length; i++)
                        {
                            var want = (matched & 1) == 0 ? (byte)'\r' : (byte)'\n';
                            matched = span[i] == want ? matched + 1 : span[i] == '\r' ? 1 : 0;
                            headDone = matched == 4;
                        }

                        if (headDone && i < span.Length)
                        {
                            _inner.Write(span[i..]);
                        }
                    }

                    reader.AdvanceTo(result.Buffer.End);
                    await _inner.FlushAsync();
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync();
                await _inner.CompleteAsync();
            }
        }

        public override void Advance(int bytes) => _target.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _target.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _target.GetSpan(sizeHint);

        public override void CancelPendingFlush() => _target.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => _target.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => _target.CompleteAsync(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _target.FlushAsync(cancellationToken);

        public override bool CanGetUnflushedBytes => _target.CanGetUnflushedBytes;

        public override long UnflushedBytes => _target.UnflushedBytes;
    }
}
