using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Body;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// The client's request body on its way to the upstream. Buffered (<c>*_request_buffering on</c>, nginx's default):
/// read whole before connecting into a <see cref="ClientBodyBuffer"/> (memory up to client_body_buffer_size, a temp
/// file beyond), so its length is known. Streamed (<c>off</c>): read from Kestrel's body pipe as the upstream takes it.
/// Kestrel has already removed chunked framing either way.
/// </summary>
internal sealed class RequestBody : IAsyncDisposable
{
    /// <summary>nginx's client_body_buffer_size default on 64-bit Linux (two pages).</summary>
    public const int MemoryLimit = ClientBodyBuffer.MemoryLimit;

    private const int ChunkSize = ClientBodyBuffer.PieceSize;

    private readonly PipeReader? _streamed;
    private ClientBodyBuffer? _buffered;

    private RequestBody(PipeReader? streamed) => _streamed = streamed;

    /// <summary>The body's length once buffered; -1 while streamed.</summary>
    public long Length { get; private set; } = -1;

    public bool IsEmpty => Length == 0;

    /// <summary>True when the body can be sent again to another peer: buffered, or streamed but not read yet.</summary>
    public bool Replayable => _streamed is null || !Started;

    /// <summary>A streamed body has been read from (some of it may have reached an upstream).</summary>
    public bool Started { get; private set; }

    public static RequestBody None { get; } = new(null) { Length = 0 };

    public static RequestBody Streamed(IFeatureCollection features) =>
        new(features.Get<IRequestBodyPipeFeature>()?.Reader ?? PipeReader.Create(features.Get<IHttpRequestFeature>()!.Body));

    /// <summary>True when the body ends within its first <see cref="MemoryLimit"/> bytes, as nginx finds a small body
    /// already read with the request head (then its length is known even under <c>*_request_buffering off</c>).</summary>
    public static async ValueTask<bool> ArrivedWholeAsync(IFeatureCollection features, CancellationToken cancel)
    {
        if (features.Get<IRequestBodyPipeFeature>()?.Reader is not { } reader)
        {
            return false;
        }

        // Kestrel hands a chunked body over chunk by chunk: look (without consuming) until it ends or outgrows the limit.
        while (true)
        {
            var result = await reader.ReadAsync(cancel);
            var length = result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted || length > MemoryLimit)
            {
                return result.IsCompleted && length <= MemoryLimit;
            }
        }
    }

    /// <summary>Reads the whole body (nginx reads it before connecting to the upstream).</summary>
    public static async ValueTask<RequestBody> BufferAsync(IFeatureCollection features, CancellationToken cancel)
    {
        var reader = features.Get<IRequestBodyPipeFeature>()?.Reader ?? PipeReader.Create(features.Get<IHttpRequestFeature>()!.Body);
        var buffered = await ClientBodyBuffer.ReadAsync(reader, cancel);
        return new RequestBody(null) { _buffered = buffered, Length = buffered.Length };
    }

    /// <summary>Hands the body to <paramref name="write"/> in pieces of at most 64 KiB, awaiting each.</summary>
    public async ValueTask CopyToAsync<TState>(Func<ReadOnlySequence<byte>, TState, ValueTask> write, TState state, CancellationToken cancel)
    {
        if (_streamed is { } reader)
        {
            Started = true;
            while (true)
            {
                var result = await reader.ReadAsync(cancel);
                var buffer = result.Buffer;
                while (buffer.Length > 0)
                {
                    var piece = buffer.Slice(0, Math.Min(buffer.Length, ChunkSize));
                    await write(piece, state);
                    buffer = buffer.Slice(piece.End);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }

        if (_buffered is not null)
        {
            await _buffered.CopyToAsync(static (piece, s) => s.write(new ReadOnlySequence<byte>(piece), s.state), (write, state), cancel);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_buffered is not null)
        {
            await _buffered.DisposeAsync();
            _buffered = null;
        }
    }
}
