using System.IO.Pipelines;
using System.Net.Sockets;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// One connected upstream socket as a pipe pair, with nginx's per-operation timeouts: <c>*_read_timeout</c> between two
/// reads, <c>*_send_timeout</c> between two writes. Failures come out as <see cref="UpstreamException"/>s worded for
/// the error log.
/// </summary>
internal sealed class UpstreamConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _readTimer = new();
    private readonly CancellationTokenSource _sendTimer = new();
    private readonly TimeSpan _readTimeout;
    private readonly TimeSpan _sendTimeout;

    public UpstreamConnection(Socket socket, TimeSpan readTimeout, TimeSpan sendTimeout)
    {
        _socket = socket;
        _readTimeout = readTimeout;
        _sendTimeout = sendTimeout;
        var stream = new NetworkStream(socket, ownsSocket: false);
        Reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true));
        Writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 65536, leaveOpen: true));
    }

    public PipeReader Reader { get; }

    /// <summary>Records and packets are written here, then sent by <see cref="FlushAsync"/>.</summary>
    public PipeWriter Writer { get; }

    /// <summary>The next bytes from the upstream; <paramref name="stage"/> words a failure ("while reading …").</summary>
    public async ValueTask<ReadResult> ReadAsync(string stage)
    {
        _readTimer.CancelAfter(_readTimeout);
        try
        {
            var result = await Reader.ReadAsync(_readTimer.Token);
            _readTimer.CancelAfter(Timeout.InfiniteTimeSpan);
            return result;
        }
        catch (OperationCanceledException)
        {
            throw UpstreamErrors.TimedOut(stage);
        }
        catch (IOException e) when (e.InnerException is SocketException s)
        {
            throw UpstreamErrors.Recv(s, stage);
        }
        catch (SocketException s)
        {
            throw UpstreamErrors.Recv(s, stage);
        }
    }

    public async ValueTask FlushAsync()
    {
        _sendTimer.CancelAfter(_sendTimeout);
        try
        {
            await Writer.FlushAsync(_sendTimer.Token);
            _sendTimer.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (OperationCanceledException)
        {
            throw UpstreamErrors.TimedOut(UpstreamErrors.Sending);
        }
        catch (IOException e) when (e.InnerException is SocketException s)
        {
            throw UpstreamErrors.Send(s);
        }
        catch (SocketException s)
        {
            throw UpstreamErrors.Send(s);
        }
    }

    /// <summary>Stops a send in progress (the response is complete, or failed).</summary>
    public void CancelSend() => _sendTimer.Cancel();

    public ValueTask DisposeAsync() => CloseAsync(keepSocket: false);

    /// <summary>Ends the pipes; <paramref name="keepSocket"/> leaves the socket open for the keepalive cache (the
    /// response was read whole and everything was sent).</summary>
    public async ValueTask CloseAsync(bool keepSocket)
    {
        if (!keepSocket)
        {
            _socket.Dispose(); // first, so completing the writer cannot wait on a full socket
        }

        await Reader.CompleteAsync();
        try
        {
            await Writer.CompleteAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The upstream is gone; its socket is closed below either way.
        }

        _readTimer.Dispose();
        _sendTimer.Dispose();
    }
}
