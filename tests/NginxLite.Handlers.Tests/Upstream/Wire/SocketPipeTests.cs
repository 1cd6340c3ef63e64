using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using NginxLite.Handlers.Upstream.Wire;

namespace NginxLite.Handlers.Tests.Upstream.Wire;

public class SocketPipeTests
{
    [Fact]
    public async Task SocketPipeReader_PartialConsume_ReturnsRestWithNextBytes()
    {
        using var pair = await SocketPair.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var reader = new SocketPipeReader(pair.Server, cancel);
        await pair.Upstream.SendAsync("HTTP/1.1 200"u8.ToArray());
        var first = await reader.ReadAsync();
        Assert.Equal("HTTP/1.1 200", Text(first.Buffer));
        reader.AdvanceTo(first.Buffer.GetPosition(9), first.Buffer.End); // "200" kept, all examined: wait for more

        await pair.Upstream.SendAsync(" OK\r\n"u8.ToArray());
        var second = await reader.ReadAsync();
        Assert.Equal("200 OK\r\n", Text(second.Buffer));
        reader.AdvanceTo(second.Buffer.End);

        pair.Upstream.Shutdown(SocketShutdown.Send);
        var end = await reader.ReadAsync();
        Assert.True(end.IsCompleted);
        Assert.Equal(0, end.Buffer.Length);
        reader.Complete();
    }

    [Fact]
    public async Task SocketPipeReader_ItemLargerThanBuffer_GrowsUntilWhole()
    {
        using var pair = await SocketPair.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var reader = new SocketPipeReader(pair.Server, cancel);
        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);
        var send = pair.Upstream.SendAsync(payload);

        // Consume nothing until every byte is buffered (a FastCGI record or a head that must be read whole).
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync();
            if (result.Buffer.Length == payload.Length)
            {
                break;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        await send;
        Assert.Equal(payload, result.Buffer.ToArray());
        reader.AdvanceTo(result.Buffer.End);
        reader.Complete();
    }

    [Fact]
    public async Task SocketPipeReader_CancelPendingRead_ReturnsCanceledResult()
    {
        using var pair = await SocketPair.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var reader = new SocketPipeReader(pair.Server, cancel);
        var read = reader.ReadAsync(cancel.Token).AsTask();
        reader.CancelPendingRead();
        var result = await read;
        Assert.True(result.IsCanceled);
        reader.Complete();
    }

    [Fact]
    public async Task SocketPipeReader_UnconsumedBytesAfterResponse_TryReadReportsThem()
    {
        using var pair = await SocketPair.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var reader = new SocketPipeReader(pair.Server, cancel);
        await pair.Upstream.SendAsync("doneEXTRA"u8.ToArray());
        var result = await ReadAtLeastAsync(reader, 9);
        reader.AdvanceTo(result.Buffer.GetPosition(4), result.Buffer.End);

        // The proxy keeps a connection only when nothing follows the response: leftover bytes must show.
        Assert.True(reader.TryRead(out var extra));
        Assert.Equal("EXTRA", Text(extra.Buffer));
        reader.Complete();
    }

    [Fact]
    public async Task SocketPipeWriter_LargeWriteThenFlush_PeerReceivesEveryByte()
    {
        using var pair = await SocketPair.ConnectAsync();
        var writer = new SocketPipeWriter(pair.Server);
        var payload = new byte[300_000];
        Random.Shared.NextBytes(payload);
        writer.Write(payload.AsSpan(0, 10));
        writer.Write(payload.AsSpan(10)); // grows the pooled buffer past its first size
        var receive = ReceiveAsync(pair.Upstream, payload.Length);
        var flush = await writer.FlushAsync();
        Assert.False(flush.IsCanceled);
        Assert.Equal(payload, await receive);
        writer.Complete();
    }

    [Fact]
    public async Task OperationDeadlines_SilentPeerPastReadTimeout_CancelsAsReadExpired()
    {
        using var pair = await SocketPair.ConnectAsync();
        using var deadlines = new OperationDeadlines();
        var reader = new SocketPipeReader(pair.Server, deadlines.Source);
        deadlines.StartRead(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(deadlines.Token));
        Assert.Equal(OperationDeadlines.ReadExpired, deadlines.Expired);
        reader.Complete();
    }

    [Fact]
    public async Task OperationDeadlines_EndedBeforeDeadline_NeverExpires()
    {
        using var pair = await SocketPair.ConnectAsync();
        using var deadlines = new OperationDeadlines();
        var reader = new SocketPipeReader(pair.Server, deadlines.Source);
        deadlines.StartRead(TimeSpan.FromMilliseconds(50));
        await pair.Upstream.SendAsync("x"u8.ToArray());
        var result = await reader.ReadAsync(deadlines.Token);
        deadlines.EndRead();
        reader.AdvanceTo(result.Buffer.End);

        // Another deadline expires later on a second connection: the watch keeps ticking past this one's old deadline.
        using var other = new OperationDeadlines();
        other.StartRead(TimeSpan.FromMilliseconds(150));
        var expired = new TaskCompletionSource();
        using var registration = other.Token.Register(() => expired.TrySetResult());
        await expired.Task;
        Assert.Equal(0, deadlines.Expired);
        Assert.False(deadlines.Token.IsCancellationRequested);
        reader.Complete();
    }

    private static async Task<ReadResult> ReadAtLeastAsync(PipeReader reader, int length)
    {
        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.Buffer.Length >= length || result.IsCompleted)
            {
                return result;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int length)
    {
        var buffer = new byte[length];
        var got = 0;
        while (got < length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        return buffer[..got];
    }

    private static string Text(ReadOnlySequence<byte> bytes) => System.Text.Encoding.ASCII.GetString(bytes.ToArray());
}
