using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// The client's request body on its way to the upstream. Buffered (<c>*_request_buffering on</c>, nginx's default):
/// read whole before connecting, in memory up to <see cref="MemoryLimit"/> (client_body_buffer_size) and in a
/// delete-on-close temp file beyond, so its length is known. Streamed (<c>off</c>): read from Kestrel's body pipe as
/// the upstream takes it. Kestrel has already removed chunked framing either way.
/// </summary>
internal sealed class RequestBody : IAsyncDisposable
{
    /// <summary>nginx's client_body_buffer_size default on 64-bit Linux (two pages).</summary>
    public const int MemoryLimit = 16 * 1024;

    private const int ChunkSize = 64 * 1024;

    private readonly PipeReader? _streamed;
    private byte[]? _memory;
    private int _memoryLength;
    private FileStream? _file;

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
        var body = new RequestBody(null);
        var reader = features.Get<IRequestBodyPipeFeature>()?.Reader ?? PipeReader.Create(features.Get<IHttpRequestFeature>()!.Body);
        long total = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancel);
            foreach (var segment in result.Buffer)
            {
                await body.AppendAsync(segment, cancel);
                total += segment.Length;
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        body.Length = total;
        if (body._file is not null)
        {
            await body._file.FlushAsync(cancel);
            body._file.Position = 0;
        }

        return body;
    }

    private async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        if (_file is null && _memoryLength + data.Length <= MemoryLimit)
        {
            _memory ??= ArrayPool<byte>.Shared.Rent(MemoryLimit);
            data.Span.CopyTo(_memory.AsSpan(_memoryLength));
            _memoryLength += data.Length;
            return;
        }

        if (_file is null)
        {
            // nginx's "a client request body is buffered to a temporary file" ([warn]) — here silently, in TMPDIR.
            _file = new FileStream(Path.Combine(Path.GetTempPath(), "nginxlite-body-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, 0, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            if (_memoryLength > 0)
            {
                await _file.WriteAsync(_memory.AsMemory(0, _memoryLength), cancel);
            }
        }

        await _file.WriteAsync(data, cancel);
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

        if (_file is not null)
        {
            _file.Position = 0; // a retry on another peer sends it again
            var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                int n;
                while ((n = await _file.ReadAsync(chunk.AsMemory(0, ChunkSize), cancel)) > 0)
                {
                    await write(new ReadOnlySequence<byte>(chunk, 0, n), state);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
        else if (_memoryLength > 0)
        {
            await write(new ReadOnlySequence<byte>(_memory!, 0, _memoryLength), state);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
        }

        if (_memory is not null)
        {
            ArrayPool<byte>.Shared.Return(_memory);
            _memory = null;
        }
    }
}
