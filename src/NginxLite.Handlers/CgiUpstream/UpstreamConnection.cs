using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using NginxLite.Handlers.Upstream.Wire;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// One connected upstream socket as a pipe pair, with nginx's per-operation timeouts: <c>*_read_timeout</c> between two
/// reads, <c>*_send_timeout</c> between two writes. Failures come out as <see cref="UpstreamException"/>s worded for
/// the error log. The socket is read and written directly (<see cref="SocketPipeReader"/>,
/// <see cref="SocketPipeWriter"/>); a TLS upstream (uwsgi_pass suwsgi://) through its session, whose stream pipes
/// leave it open: the peer connection owns and closes it. Timeouts are deadlines checked by <see cref="DeadlineWatch"/>, with one
/// cancellation source per connection.
/// </summary>
internal sealed class UpstreamConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly OperationDeadlines _deadlines = new();
    private readonly TimeSpan _readTimeout;
    private readonly TimeSpan _sendTimeout;
    private bool _closed;

    public UpstreamConnection(Socket socket, SslStream? tls, TimeSpan readTimeout, TimeSpan sendTimeout)
    {
        _socket = socket;
        _readTimeout = readTimeout;
        _sendTimeout = sendTimeout;
        Reader = tls is null
            ? new SocketPipeReader(socket, _deadlines.Source)
            : PipeReader.Create(tls, new StreamPipeReaderOptions(bufferSize: TlsReadSize, minimumReadSize: 4096, leaveOpen: true));
        Writer = tls is null ? new SocketPipeWriter(socket) : PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>Read buffer of the stream pipe over a TLS session (one TLS record is at most 16 KiB).</summary>
    private const int TlsReadSize = 16 * 1024;

    public PipeReader Reader { get; }

    /// <summary>Records and packets are written here, then sent by <see cref="FlushAsync"/>.</summary>
    public PipeWriter Writer { get; }

    /// <summary>The next bytes from the upstream; <paramref name="stage"/> words a failure ("while reading …").</summary>
    public async ValueTask<ReadResult> ReadAsync(string stage)
    {
        _deadlines.StartRead(_readTimeout);
        try
        {
            var result = await Reader.ReadAsync(_deadlines.Token);
            _deadlines.EndRead();
            return result;
        }
        catch (OperationCanceledException) when (_deadlines.Expired == OperationDeadlines.ReadExpired)
        {
            throw UpstreamErrors.TimedOut(stage);
        }
        catch (OperationCanceledException)
        {
            // The send failed or timed out (its exception is the answer) or the exchange was stopped.
            return new ReadResult(default, isCanceled: true, isCompleted: false);
        }
        catch (IOException e) when (e.InnerException is SocketException s)
        {
            throw UpstreamErrors.Recv(s, stage);
        }
        catch (SocketException s)
        {
            throw UpstreamErrors.Recv(s, stage);
        }
        catch (IOException e)
        {
            // Only a TLS session fails so with no socket error (a bad record, an alert): ngx_ssl_recv's words.
            throw UpstreamErrors.Tls("SSL_read()", e, stage);
        }
    }

    public async ValueTask FlushAsync()
    {
        _deadlines.StartSend(_sendTimeout);
        try
        {
            await Writer.FlushAsync(_deadlines.Token);
            _deadlines.EndSend();
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
        catch (IOException e)
        {
            throw UpstreamErrors.Tls("SSL_write()", e, UpstreamErrors.Sending);
        }
    }

    /// <summary>Stops a send in progress (the response is complete, or failed); the connection is not reused.</summary>
    public void CancelSend() => _deadlines.Cancel();

    public ValueTask DisposeAsync() => CloseAsync(keepSocket: false);

    /// <summary>Ends the pipes; <paramref name="keepSocket"/> leaves the socket open for the keepalive cache (the
    /// response was read whole and everything was sent).</summary>
    public async ValueTask CloseAsync(bool keepSocket)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
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

        _deadlines.Dispose();
    }
}
